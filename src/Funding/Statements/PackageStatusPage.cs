using Funding.Packages;
using Funding.Shared;
using Marten;
using NodaTime;

namespace Funding.Statements;

/// <summary>
/// One page of the live package list, filtered, ordered and cut by PostgreSQL over the narrow rows of
/// <see cref="PackageListSchema"/>: a page costs about the same at 100 packages or 10,000, where loading every status
/// to sort it did not. The flags and the order are those of <see cref="PackageFundingStatus.FlagsOn"/> and
/// <see cref="PackageFilter.Apply"/>, written in SQL; PackageStatusPageProperties holds the two together.
/// </summary>
public static class PackageStatusPage
{
    public static async Task<(IReadOnlyList<PackageStatusReport> Items, long Total)> LoadAsync(
        IQuerySession session, PackageFilter filter, LocalDate day, FlagOptions rules, Page page, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var documents = session.DocumentStore.Options.Schema.For<PackageFundingStatus>();
        // Phases are inclusive of both days, as PackageFundingStatus.PhasesAtRisk compares them.
        var horizon = day.PlusDays(rules.AtRiskHorizonDays).ToDateOnly();
        // Waiting more than the days allowed: since a day before this one.
        var waitedSince = day.PlusDays(-rules.AwaitingDecisionDays).ToDateOnly();
        var parameters = new List<object> { day.ToDateOnly(), horizon, waitedSince };
        const string atRisk = "l.uncovered && daterange(?, ?, '[]')";
        const string awaiting = "coalesce(l.waiting_since < ?, false)";

        var where = new List<string>();
        if (filter.Country is not null)
        {
            where.Add("l.country = ?");
            parameters.Add(filter.Country);
        }

        if (filter.Status is { } status)
        {
            where.Add("l.status = ?");
            parameters.Add(status.ToString());
        }

        if (filter.Mandated is { } mandated) where.Add(mandated ? "l.mandated" : "not l.mandated");
        if (filter.Flag is { } flag)
        {
            where.Add(flag switch
            {
                FundingFlag.Unfunded => "l.unfunded",
                FundingFlag.MandatedAndUnfunded => "l.unfunded and l.mandated",
                FundingFlag.PhaseAtRisk => atRisk,
                FundingFlag.LateRequest => "l.late",
                FundingFlag.AwaitingDecision => awaiting,
                _ => throw new ArgumentOutOfRangeException(nameof(filter), flag, "Unknown flag."),
            });
            if (flag == FundingFlag.PhaseAtRisk) parameters.AddRange([day.ToDateOnly(), horizon]);
            if (flag == FundingFlag.AwaitingDecision) parameters.Add(waitedSince);
        }

        parameters.Add(page.Size);
        parameters.Add((page.Number - 1L) * page.Size);

        // The window count runs before the limit, so it counts every package the filter lets through; the top-N
        // sort keeps only the page. Only the page's documents are then read whole.
        var sql = $"""
            with page as (
              select l.id, l.code, count(*) over () as total,
                l.unfunded and l.mandated as mandated_unfunded,
                l.unfunded::int + (l.unfunded and l.mandated)::int + ({atRisk})::int + l.late::int + ({awaiting})::int as flag_count
              from {schema}.{PackageListSchema.Table} l
              {(where.Count == 0 ? "" : "where " + string.Join(" and ", where))}
              order by mandated_unfunded desc, flag_count desc, l.code collate "C", l.id
              limit ? offset ?
            )
            select row(d.data::text), row(page.total)
            from page join {documents} d on d.id = page.id
            order by page.mandated_unfunded desc, page.flag_count desc, page.code collate "C", page.id
            """;

        // The document as text, read with the store's serializer: a document in a row is read by column position,
        // which differs between query-only and identity-tracking sessions.
        var rows = await session.AdvancedSql.QueryAsync<string, long>(sql, cancellation, parameters.ToArray());
        var total = rows.Count > 0 ? rows[0].Item2 : page.Number == 1 ? 0 : await CountAsync(session, filter, day, rules, cancellation);
        return (rows.Select(x => PackageStatusReport.From(Read(session, x.Item1), day, rules)).ToList(), total);
    }

    static PackageFundingStatus Read(IQuerySession session, string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return session.DocumentStore.Options.Serializer().FromJson<PackageFundingStatus>(stream);
    }

    /// <summary>A page past the end holds no row to carry the total: the first page's count then answers.</summary>
    static async Task<long> CountAsync(IQuerySession session, PackageFilter filter, LocalDate day, FlagOptions rules, CancellationToken cancellation) =>
        (await LoadAsync(session, filter, day, rules, new Page(1, 1), cancellation)).Total;
}
