using Funding.Packages;
using Funding.Shared;
using Marten;
using NodaTime;
using NodaTime.Text;

namespace Funding.Statements;

/// <summary>
/// One page of the live package list, filtered, ordered and cut by PostgreSQL over the narrow rows of
/// <see cref="PackageListSchema"/>, and written as the API's JSON by PostgreSQL too: each report is built from its
/// status document's JSON and streamed to the response as it comes (Marten's JSON streaming), never read into objects
/// and written out again. A page reads its own documents only, however long the list; the sort runs over the narrow
/// rows. The flags, each phase's risk and the order are those of <see cref="PackageStatusReport.From"/>,
/// <see cref="PackageFundingStatus.FlagsOn"/> and <see cref="PackageFilter.Apply"/>, written in SQL;
/// PackageStatusPageProperties holds the two together.
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
        // The top-N sort over the narrow rows keeps only the page; only the page's documents are then read.
        sql.Append($"""
            with page as (
              select l.id, l.code,
                l.unfunded and l.mandated as mandated_unfunded,
                l.unfunded::int + (l.unfunded and l.mandated)::int + ({keys.AtRisk(sql)})::int + l.late::int + ({keys.Awaiting(sql)})::int as flag_count
              from {schema}.{PackageListSchema.Table} l
            """);
        keys.Where(sql);
        sql.Append($"""
              order by mandated_unfunded desc, flag_count desc, l.code collate "C", l.id
              limit {sql.P(page.Size)} offset {sql.P((page.Number - 1L) * page.Size)}
            )
            select
            """);
        Report(sql, day, rules);
        sql.Append($"""
            from page join {documents} doc on doc.id = page.id
              -- The document decompressed once, not once per member read from it.
              cross join lateral (select doc.data || jsonb_build_object() as data offset 0) d
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

        public void Where(Sql sql)
        {
            var where = new List<string>();
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

    static string Flag(FundingFlag flag, string when) => $"case when {when} then '{flag}' end";

    const string Unfunded = $"d.data ->> 'stage' = '{nameof(PackageStatus.Approved)}' and d.data ->> 'status' = '{nameof(FundingStatus.ApprovedButUnfunded)}'";

    /// <summary>
    /// PackageStatusReport, in its members' order, from the status document's JSON (alias d): the stored figures as
    /// they are (the document carries its computed members: status, gap, coveragePercent, lateRequest...), and what
    /// depends on the day asked about (the flags, each phase's risk) from the parameters.
    /// </summary>
    static void Report(Sql sql, LocalDate day, FlagOptions rules)
    {
        var horizon = day.PlusDays(rules.AtRiskHorizonDays).ToDateOnly();
        var waitedSince = day.PlusDays(-rules.AwaitingDecisionDays).ToDateOnly();
        // A phase at risk as PackageFundingStatus.PhasesAtRisk has it (a package names each phase once).
        string PhaseAtRisk(string p) => $"""
            d.data ->> 'stage' = '{nameof(PackageStatus.Approved)}' and not ({p} ->> 'isCovered')::boolean
              and ({p} ->> 'endsOn')::date >= {sql.P(day.ToDateOnly())} and ({p} ->> 'startsOn')::date <= {sql.P(horizon)}
            """;
        sql.Append($"""
            json_build_object(
              'packageId', d.data -> 'id', 'code', d.data -> 'code', 'country', d.data -> 'country',
              'electoralProcess', d.data -> 'electoralProcess', 'origin', d.data -> 'origin', 'mandate', d.data -> 'mandate',
              'stage', d.data -> 'stage', 'status', d.data -> 'status',
              'flags', array_to_json(array_remove(array[
                {Flag(FundingFlag.Unfunded, Unfunded)},
                {Flag(FundingFlag.MandatedAndUnfunded, $"{Unfunded} and (d.data ->> 'mandated')::boolean")},
                {Flag(FundingFlag.PhaseAtRisk, $"exists (select from jsonb_array_elements(d.data -> 'phases') q where {PhaseAtRisk("q")})")},
                {Flag(FundingFlag.LateRequest, "(d.data ->> 'lateRequest')::boolean")},
                {Flag(FundingFlag.AwaitingDecision, $"(d.data ->> 'waitingSince')::date < {sql.P(waitedSince)}")}], null)),
              'asOf', {sql.P(LocalDatePattern.Iso.Format(day))}::text,
              'approved', d.data -> 'approved', 'allocated', d.data -> 'allocated', 'transferred', d.data -> 'transferred',
              'refunded', d.data -> 'refunded', 'spent', d.data -> 'spent', 'gap', d.data -> 'gap', 'coveragePercent', d.data -> 'coveragePercent',
              'phases', (
                select coalesce(json_agg(json_build_object(
                  'phase', p -> 'phase', 'startsOn', p -> 'startsOn', 'endsOn', p -> 'endsOn', 'approved', p -> 'approved',
                  'allocated', p -> 'allocated', 'transferred', p -> 'transferred', 'refunded', p -> 'refunded', 'spent', p -> 'spent',
                  'gap', p -> 'gap', 'coveragePercent', p -> 'coveragePercent', 'atRisk', {PhaseAtRisk("p")}) order by n), '[]')
                from jsonb_array_elements(d.data -> 'phases') with ordinality x(p, n)),
              'sources', d.data -> 'sources', 'assessed', d.data -> 'assessed', 'assessedPhases', d.data -> 'assessedPhases',
              'assessedGap', case when d.data ->> 'stage' = '{nameof(PackageStatus.NeedsAssessed)}' then d.data -> 'assessed' else '0'::jsonb end,
              'forecast', null)
            """);
    }
}
