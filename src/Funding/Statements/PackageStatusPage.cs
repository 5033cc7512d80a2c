using Funding.Packages;
using Funding.Shared;
using Marten;
using NodaTime;

namespace Funding.Statements;

/// <summary>
/// One page of the live package list, filtered, ordered and cut by PostgreSQL: a page costs about the same at 100
/// packages or 10,000, where loading every status to sort it did not. The flags and the order are those of
/// <see cref="PackageFundingStatus.FlagsOn"/> and <see cref="PackageFilter.Apply"/>, written in SQL over the stored
/// document; PackageStatusPageProperties holds the two together.
/// </summary>
public static class PackageStatusPage
{
    public static async Task<(IReadOnlyList<PackageStatusReport> Items, long Total)> LoadAsync(
        IQuerySession session, PackageFilter filter, LocalDate day, int horizonDays, Page page, CancellationToken cancellation)
    {
        var table = session.DocumentStore.Options.Schema.For<PackageFundingStatus>();
        var parameters = new List<object>
        {
            day.ToDateOnly(), day.PlusDays(horizonDays).ToDateOnly(),
        };

        var where = new List<string>();
        if (filter.Country is not null)
        {
            where.Add("country = ?");
            parameters.Add(filter.Country);
        }

        if (filter.Status is { } status)
        {
            where.Add("status = ?");
            parameters.Add(status.ToString());
        }

        if (filter.Mandated is { } mandated) where.Add(mandated ? "mandated" : "not mandated");
        if (filter.Flag is { } flag)
        {
            where.Add(flag switch
            {
                FundingFlag.Unfunded => "unfunded",
                FundingFlag.MandatedAndUnfunded => "unfunded and mandated",
                FundingFlag.PhaseAtRisk => "at_risk",
                FundingFlag.LateRequest => "late",
                _ => throw new ArgumentOutOfRangeException(nameof(filter), flag, "Unknown flag."),
            });
        }

        parameters.Add(page.Size);
        parameters.Add((page.Number - 1L) * page.Size);

        // Flags only ever show on an approved package. Only the page's documents are read whole; for the rest the
        // columns PackageFundingStatus.ConfigureMarten keeps are enough.
        var sql = $"""
            with flagged as (
              select d.id, d.code, d.country, d.status,
                d.origin <> '{PackageOrigin.MemberStateRequest}' as mandated,
                d.stage = '{PackageStatus.Approved}' and d.status = '{FundingStatus.ApprovedButUnfunded}' as unfunded,
                d.stage = '{PackageStatus.Approved}' and exists (
                  select 1 from unnest(d.uncovered_phase_starts, d.uncovered_phase_ends) as phase(starts_on, ends_on)
                  where phase.ends_on >= ? and phase.starts_on <= ?) as at_risk,
                d.stage = '{PackageStatus.Approved}' and d.late_request as late
              from {table} d
            ), listed as (
              select id, code, unfunded and mandated as mandated_unfunded,
                unfunded::int + (unfunded and mandated)::int + at_risk::int + late::int as flag_count
              from flagged
              {(where.Count == 0 ? "" : "where " + string.Join(" and ", where))}
            ), page as (
              select id, count(*) over () as total,
                row_number() over (order by mandated_unfunded desc, flag_count desc, code collate "C", id) as position
              from listed
              order by position
              limit ? offset ?
            )
            select row(d.data::text), row(page.total)
            from page join {table} d on d.id = page.id
            order by page.position
            """;

        // The document as text, read with the store's serializer: a document in a row is read by column position,
        // which differs between query-only and identity-tracking sessions.
        var rows = await session.AdvancedSql.QueryAsync<string, long>(sql, cancellation, parameters.ToArray());
        var total = rows.Count > 0 ? rows[0].Item2 : page.Number == 1 ? 0 : await CountAsync(session, filter, day, horizonDays, cancellation);
        return (rows.Select(x => PackageStatusReport.From(Read(session, x.Item1), day, horizonDays)).ToList(), total);
    }

    static PackageFundingStatus Read(IQuerySession session, string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        return session.DocumentStore.Options.Serializer().FromJson<PackageFundingStatus>(stream);
    }

    /// <summary>A page past the end holds no row to carry the total: the first page's count then answers.</summary>
    static async Task<long> CountAsync(IQuerySession session, PackageFilter filter, LocalDate day, int horizonDays, CancellationToken cancellation) =>
        (await LoadAsync(session, filter, day, horizonDays, new Page(1, 1), cancellation)).Total;
}
