using Funding.Packages;
using Funding.Shared;
using Marten;
using NodaTime;

namespace Funding.Statements;

/// <summary>
/// One page of the live package list, filtered, ordered and cut by PostgreSQL over the narrow rows of
/// <see cref="PackageListSchema"/>, and written as the API's JSON by PostgreSQL too: each report is built from its
/// status document's JSON (the list's <c>package_report</c>) and streamed to the response as it comes (Marten's JSON
/// streaming), never read into objects and written out again. A page reads its own documents only, however long the
/// list; the sort runs over the narrow rows. For the day the list is ranked for (today, see
/// <see cref="PackageListRanking"/>) there is no sort and no report to build: the page is read off the rank's index
/// and its reports are the ones kept. The flags, each phase's risk and the order are those of
/// <see cref="PackageStatusReport.From"/>, <see cref="PackageFundingStatus.FlagsOn"/> and
/// <see cref="PackageFilter.Apply"/>, written in SQL; PackageStatusPageProperties holds the two together.
/// </summary>
public static class PackageStatusPage
{
    /// <summary>How many packages the filter lets through, counted over the narrow rows.</summary>
    public static async Task<long> CountAsync(IQuerySession session, PackageFilter filter, LocalDate day, FlagOptions rules, CancellationToken cancellation)
    {
        var sql = new Sql();
        sql.Append($"select count(*) from {session.DocumentStore.Options.DatabaseSchemaName}.{PackageListSchema.Table} l");
        new Keys(filter, day, rules).Where(sql);
        return (await session.QueryAsync<long>(sql.Text, cancellation, sql.Values))[0];
    }

    /// <summary>Writes the page to the destination as a JSON array of <see cref="PackageStatusReport"/>, row by row as PostgreSQL sends them.</summary>
    public static async Task WriteAsync(
        IQuerySession session, PackageFilter filter, LocalDate day, FlagOptions rules, Page page, Stream destination, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var documents = session.DocumentStore.Options.Schema.For<PackageFundingStatus>();
        var keys = new Keys(filter, day, rules);
        var sql = new Sql();
        var ranking = $"{schema}.{PackageListSchema.RankingTable}";
        // When the list is ranked for this day and these rules (PackageListRanking), the page is read off the rank's index
        // and its reports are copied as kept; otherwise a top-N sort over the narrow rows keeps only the page, whose reports
        // are built from its documents.
        // One statement, so both branches see the same ranking; PostgreSQL runs only the one whose condition holds.
        sql.Append($"""
            with ranking as (
              select coalesce((select r.day = {sql.P(day.ToDateOnly())} and r.horizon_days = {sql.P(rules.AtRiskHorizonDays)}
                and r.awaiting_days = {sql.P(rules.AwaitingDecisionDays)} from {ranking} r where r.id = 1), false) as ranked
            ), page as (
            """);
        foreach (var ranked in (bool[])[true, false])
        {
            sql.Append($"""
                (select l.id, l.code, {(ranked ? "true" : "false")} as ranked,
                  l.unfunded and l.mandated as mandated_unfunded,
                  l.unfunded::int + (l.unfunded and l.mandated)::int + ({keys.AtRisk(sql)})::int + l.late::int + ({keys.Awaiting(sql)})::int as flag_count
                from {schema}.{PackageListSchema.Table} l
                """);
            keys.Where(sql, ranked ? "(select ranked from ranking)" : "not (select ranked from ranking)");
            sql.Append($"""
                order by {(ranked ? "l.ranked" : "mandated_unfunded desc, flag_count desc, l.code collate \"C\", l.id")}
                limit {sql.P(page.Size)} offset {sql.P((page.Number - 1L) * page.Size)})
                {(ranked ? "union all" : ")")}
                """);
        }

        // Ranked: each report as kept for the day; otherwise built from its status document.
        sql.Append($"""
            select case when page.ranked then r.report
              else {schema}.{PackageListSchema.ReportFunction}(doc.data, {sql.P(day.ToDateOnly())}, {sql.P(rules.AtRiskHorizonDays)}, {sql.P(rules.AwaitingDecisionDays)}) end
            from page
              left join {schema}.{PackageListSchema.Reports} r on page.ranked and r.id = page.id
              left join {documents} doc on not page.ranked and doc.id = page.id
            order by page.mandated_unfunded desc, page.flag_count desc, page.code collate "C", page.id
            """);
        await session.StreamJson<PackageFundingStatus>(destination, cancellation, sql.Text, sql.Values);
    }

    /// <summary>SQL text with its positional parameters, appended in the order they appear.</summary>
    sealed class Sql
    {
        readonly System.Text.StringBuilder text = new();
        readonly List<object> values = [];

        public string Text => text.ToString();
        public object[] Values => values.ToArray();

        public void Append(string sql) => text.AppendLine(sql);

        public string P(object value)
        {
            values.Add(value);
            return "?";
        }
    }

    /// <summary>The package list's filter and day-dependent flags over its narrow rows (alias l).</summary>
    sealed class Keys(PackageFilter filter, LocalDate day, FlagOptions rules)
    {
        // Phases are inclusive of both days, as PackageFundingStatus.PhasesAtRisk compares them.
        readonly DateOnly horizon = day.PlusDays(rules.AtRiskHorizonDays).ToDateOnly();

        // Waiting more than the days allowed: since a day before this one.
        readonly DateOnly waitedSince = day.PlusDays(-rules.AwaitingDecisionDays).ToDateOnly();

        public string AtRisk(Sql sql) => $"l.uncovered && daterange({sql.P(day.ToDateOnly())}, {sql.P(horizon)}, '[]')";
        public string Awaiting(Sql sql) => $"coalesce(l.waiting_since < {sql.P(waitedSince)}, false)";

        public void Where(Sql sql, string? first = null)
        {
            var where = first is null ? new List<string>() : [first];
            if (filter.Country is not null) where.Add($"l.country = {sql.P(filter.Country)}");
            if (filter.Countries is { } countries) where.Add($"l.country = any({sql.P(countries.ToArray())})");
            if (filter.Status is { } status) where.Add($"l.status = {sql.P(status.ToString())}");
            if (filter.Mandated is { } mandated) where.Add(mandated ? "l.mandated" : "not l.mandated");
            if (filter.Flag is { } flag)
            {
                where.Add(flag switch
                {
                    FundingFlag.Unfunded => "l.unfunded",
                    FundingFlag.MandatedAndUnfunded => "l.unfunded and l.mandated",
                    FundingFlag.PhaseAtRisk => AtRisk(sql),
                    FundingFlag.LateRequest => "l.late",
                    FundingFlag.AwaitingDecision => Awaiting(sql),
                    _ => throw new ArgumentOutOfRangeException(nameof(filter), flag, "Unknown flag."),
                });
            }

            if (where.Count > 0) sql.Append("where " + string.Join(" and ", where));
        }
    }

}
