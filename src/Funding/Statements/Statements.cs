using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Packages;
using Funding.Statements.Periods;
using Funding.Statements.Ageing;
using Marten;
using NodaTime;

namespace Funding.Statements;

/// <summary>How the package list is narrowed; the filters combine.</summary>
public sealed record PackageFilter(FundingStatus? Status = null, FundingFlag? Flag = null, string? Country = null, bool? Mandated = null)
{
    /// <summary>The countries the reader may see (Funding:Auth:ScopedReads), upper case; null: every country.</summary>
    public IReadOnlyList<string>? Countries { get; init; }

    /// <summary>The reports that pass, mandated and unfunded first, then those with more flags, then by code.</summary>
    public IReadOnlyList<PackageStatusReport> Apply(IEnumerable<PackageStatusReport> reports) => reports
        .Where(x => Country is null || x.Country == Country)
        .Where(x => Countries is null || Countries.Contains(x.Country))
        .Where(x => Status is null || x.Status == Status)
        .Where(x => Flag is null || x.Flags.Contains(Flag.Value))
        .Where(x => Mandated is null || (x.Origin != PackageOrigin.MemberStateRequest) == Mandated)
        .OrderByDescending(x => x.Flags.Contains(FundingFlag.MandatedAndUnfunded))
        .ThenByDescending(x => x.Flags.Count)
        .ThenBy(x => x.Code, StringComparer.Ordinal)
        .ToList();
}

/// <summary>
/// The four statements, for HTTP and the command line alike: from the live read models, or, for a report as at a
/// date or as known on a day, folded again from the events that cut lets through.
/// </summary>
public static class Statements
{
    public static async Task<FundStatementReport?> FundStatementAsync(IQuerySession session, Guid fundId, ReportCut cut, CancellationToken cancellation)
    {
        var statement = cut.IsLive
            ? await session.LoadAsync<FundStatement>(fundId, cancellation)
            : (await HistoricalStatements.ForFund(session, fundId, cut, cancellation)).FundStatements.GetValueOrDefault(fundId);
        return statement is null ? null : FundStatementReport.From(statement);
    }

    /// <summary>The fund's trial balance; null when no fund has that id.</summary>
    public static async Task<TrialBalanceReport?> TrialBalanceAsync(IQuerySession session, Guid fundId, ReportCut cut, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Funds.Fund>(fundId, cancellation) is null) return null;
        var balance = cut.IsLive
            ? await session.LoadAsync<TrialBalance>(fundId, cancellation)
            : (await HistoricalStatements.ForFund(session, fundId, cut, cancellation)).TrialBalances.GetValueOrDefault(fundId);
        return TrialBalanceReport.From(fundId, balance);
    }

    /// <summary>The fund statement over a month or a year; null when the fund did not exist by the period's end.</summary>
    public static async Task<FundStatementPeriodReport?> FundStatementForPeriodAsync(
        IQuerySession session, Guid fundId, ReportPeriod period, LocalDate? knownOn, LocalDate today, CancellationToken cancellation) =>
        FundStatementPeriodReport.FromLog(fundId, period, knownOn, today, await HistoricalStatements.FundEvents(session, fundId, knownOn, cancellation)) is { } report
            ? report with { Books = await BooksOver(session, period, cancellation) }
            : null;

    /// <summary>What the accounting periods say of the report's days: a closed or reopened month is shown as such.</summary>
    static async Task<global::Funding.Periods.PeriodBooks?> BooksOver(IQuerySession session, ReportPeriod period, CancellationToken cancellation) =>
        (await session.LoadAsync<global::Funding.Periods.AccountingPeriods>(global::Funding.Periods.AccountingPeriods.StreamId, cancellation))?.Over(period.From, period.To);

    /// <summary>The fund's trial balance over a month or a year; null when no fund has that id.</summary>
    public static async Task<TrialBalancePeriodReport?> TrialBalanceForPeriodAsync(
        IQuerySession session, Guid fundId, ReportPeriod period, LocalDate? knownOn, LocalDate today, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Funds.Fund>(fundId, cancellation) is null) return null;
        return TrialBalancePeriodReport.FromLog(fundId, period, knownOn, today, await HistoricalStatements.FundEvents(session, fundId, knownOn, cancellation))
            with { Books = await BooksOver(session, period, cancellation) };
    }

    /// <param name="day">The day flags are judged on (phases at risk depend on it).</param>
    public static async Task<PackageStatusReport?> PackageStatusAsync(
        IQuerySession session, Guid packageId, ReportCut cut, LocalDate day, FlagOptions rules, CancellationToken cancellation)
    {
        var status = cut.IsLive
            ? await session.LoadAsync<PackageFundingStatus>(packageId, cancellation)
            : (await HistoricalStatements.ForPackage(session, packageId, cut, cancellation)).PackageStatuses.GetValueOrDefault(packageId);
        if (status is null) return null;
        var report = PackageStatusReport.From(status, day, rules);
        if (!cut.IsLive) return report;
        var picture = await Packages.Approving.FundingPictures.LoadAsync(session, packageId, cancellation);
        return report with { Forecast = Packages.Approving.PreApprovalCheck.ForecastOf(status, picture, day) };
    }

    /// <summary>The packages the filter lets through, in its order (mandated and unfunded first).</summary>
    public static async Task<IReadOnlyList<PackageStatusReport>> PackageStatusesAsync(
        IQuerySession session, PackageFilter filter, ReportCut cut, LocalDate day, FlagOptions rules, CancellationToken cancellation)
    {
        IReadOnlyList<PackageFundingStatus> statuses;
        if (cut.IsLive)
        {
            var query = session.Query<PackageFundingStatus>().AsQueryable();
            if (filter.Country is not null) query = query.Where(x => x.Country == filter.Country);
            if (filter.Countries is { } countries) query = query.Where(x => x.Country.IsOneOf(countries.ToArray()));
            statuses = await query.ToListAsync(cancellation);
        }
        else
        {
            statuses = (await HistoricalStatements.ForEveryPackage(session, cut, cancellation)).PackageStatuses.Values.ToList();
        }

        return filter.Apply(statuses.Select(x => PackageStatusReport.From(x, day, rules)));
    }

    /// <param name="readable">The funds the reader may see (Funding:Auth:ScopedReads); null: every fund.</param>
    public static async Task<IReadOnlyList<DonorStatementLine>> DonorStatementAsync(
        IQuerySession session, string? donor, ReportCut cut, CancellationToken cancellation, IReadOnlyList<Guid>? readable = null)
    {
        IReadOnlyList<Contribution> contributions;
        if (cut.IsLive)
        {
            var query = session.Query<Contribution>().AsQueryable();
            if (donor is not null) query = query.Where(x => x.Donor == donor);
            if (readable is not null) query = query.Where(x => x.FundId.IsOneOf(readable.ToArray()));
            contributions = await query.ToListAsync(cancellation);
        }
        else
        {
            contributions = (await HistoricalStatements.ForDonors(session, donor, cut, cancellation)).Contributions.Values
                .Where(x => readable is null || readable.Contains(x.FundId)).ToList();
        }

        // Refunds at a fund's closure are on the fund's statement; as at a date, those paid by then.
        var statements = await session.Query<FundStatement>().Where(x => x.RefundsToDonors != 0m).ToListAsync(cancellation);
        var refunds = statements.Where(s => readable is null || readable.Contains(s.Id)).SelectMany(s => s.DonorRefunds.Select(r => (s.Id, r)))
            .Where(x => (donor is null || x.r.Donor == donor) && (cut.AsAt is null || x.r.RefundedOn <= cut.AsAt));
        return DonorStatement.Lines(contributions, refunds);
    }

    /// <summary>
    /// The receivables ageing as at <paramref name="asAt"/>, as known on the cut's day, of one fund or donor or all.
    /// A contribution's live snapshot is used when nothing in it is dated after <paramref name="asAt"/> (what every
    /// report as at today finds); the others, and every one as known on an earlier day, are folded again from their
    /// events.
    /// </summary>
    /// <param name="readable">The funds the reader may see (Funding:Auth:ScopedReads); null: every fund.</param>
    public static async Task<ReceivablesAgeingReport> ReceivablesAgeingAsync(
        IQuerySession session, Guid? fundId, string? donor, ReportCut cut, LocalDate asAt, CancellationToken cancellation, IReadOnlyList<Guid>? readable = null)
    {
        var query = session.Query<Contribution>().Where(x => x.Signed > 0m);
        if (fundId is not null) query = query.Where(x => x.FundId == fundId);
        if (readable is not null) query = query.Where(x => x.FundId.IsOneOf(readable.ToArray()));
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        var live = await query.ToListAsync(cancellation);

        var replayed = live.Where(c => cut.KnownOn is not null || c.Movements.Any(m => m.On > asAt)).Select(c => c.Id).ToHashSet();
        var contributions = live.Where(c => !replayed.Contains(c.Id)).ToList();
        if (replayed.Count > 0)
            contributions.AddRange((await HistoricalStatements.ForContributions(session, replayed, cut with { AsAt = asAt }, cancellation)).Contributions.Values);

        var rates = await HistoricalStatements.Rates(session, cut, cancellation);
        var funds = (await session.Query<Funds.Fund>().ToListAsync(cancellation)).ToDictionary(x => x.Id, x => x.Code);
        return ReceivablesAgeing.Of(contributions, rates, asAt, cut.KnownOn, funds);
    }
}
