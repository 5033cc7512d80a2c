using Funding.Contributions;
using Funding.Ledger;
using Funding.Packages;
using Funding.Shared;
using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Wolverine.Http;
using Wolverine.Http.Marten;

namespace Funding.Statements;

/// <summary>How far ahead a phase without money counts as at risk. Bound from "Funding:Flags".</summary>
public sealed class FlagOptions
{
    public int AtRiskHorizonDays { get; set; } = 60;
}

public sealed record TrialBalanceLine(int Code, Account Account, decimal Debit, decimal Credit);

public sealed record TrialBalanceReport(Guid FundId, IReadOnlyList<TrialBalanceLine> Lines, decimal TotalDebits, decimal TotalCredits, bool Balanced);

/// <summary>The fund statement in the layout pooled funds publish (USD).</summary>
public sealed record FundStatementReport(
    Guid FundId, string Code, string Name,
    decimal Contributions, decimal Interest, decimal OtherIncome, decimal TotalSources,
    decimal TransferredToImplementingOrganisations, decimal Refunds, decimal NetFundedAmount, decimal AdministrativeAgentFees,
    decimal TotalUses, decimal BalanceWithAdministrativeAgent, decimal? BalanceWithAdministrativeAgentPercentOfDeposits,
    decimal Expenditure, decimal BalanceWithImplementingOrganisations, decimal? DeliveryRatePercent, decimal TotalBalance,
    decimal AllocatedNotYetTransferred, decimal ReceivablesOutstanding, decimal OutstandingPledges, decimal RealisedExchangeGainsAndLosses,
    decimal UnrealisedExchangeGainsAndLosses)
{
    public static FundStatementReport From(FundStatement s) => new(
        s.Id, s.Code, s.Name, s.Contributions, s.Interest, s.OtherIncome, s.TotalSources,
        s.TransferredToImplementingOrganisations, s.Refunds, s.NetFundedAmount, s.AdministrativeAgentFees, s.TotalUses,
        s.BalanceWithAdministrativeAgent, s.BalanceWithAdministrativeAgentPercentOfDeposits, s.Expenditure,
        s.BalanceWithImplementingOrganisations, s.DeliveryRatePercent, s.TotalBalance, s.AllocatedNotYetTransferred,
        s.ReceivablesOutstanding, s.OutstandingPledges, s.RealisedExchangeGainsAndLosses, s.UnrealisedExchangeGainsAndLosses);
}

public sealed record PhaseStatusReport(
    ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, decimal Approved, decimal Allocated, decimal Transferred,
    decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent, bool AtRisk);

/// <summary>A package's funding status as on a date: the stored figures plus the flags that date gives.</summary>
public sealed record PackageStatusReport(
    Guid PackageId, string Code, string Country, string ElectoralProcess, PackageOrigin Origin, string? Mandate,
    PackageStatus Stage, FundingStatus Status, IReadOnlyList<FundingFlag> Flags, LocalDate AsOf,
    decimal Approved, decimal Allocated, decimal Transferred, decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent,
    IReadOnlyList<PhaseStatusReport> Phases, IReadOnlyList<FundingSource> Sources)
{
    public static PackageStatusReport From(PackageFundingStatus s, LocalDate asOf, int horizonDays)
    {
        var atRisk = s.PhasesAtRisk(asOf, horizonDays).Select(x => x.Phase).ToHashSet();
        return new PackageStatusReport(
            s.Id, s.Code, s.Country, s.ElectoralProcess, s.Origin, s.Mandate, s.Stage, s.Status, s.FlagsOn(asOf, horizonDays), asOf,
            s.Approved, s.Allocated, s.Transferred, s.Refunded, s.Spent, s.Gap, s.CoveragePercent,
            s.Phases.Select(p => new PhaseStatusReport(p.Phase, p.StartsOn, p.EndsOn, p.Approved, p.Allocated, p.Transferred,
                p.Refunded, p.Spent, p.Gap, p.CoveragePercent, atRisk.Contains(p.Phase))).ToList(),
            s.Sources);
    }
}

public sealed record DonorStatementLine(
    string Donor, Guid FundId, int Year, decimal Pledged, decimal Signed, decimal Received, decimal OutstandingReceivable, decimal OutstandingPledge);

public static class StatementEndpoints
{
    [WolverineGet("/api/funds/{fundId}/statement")]
    [Tags("Statements")]
    [EndpointSummary("Fund statement: sources, uses, balances, receivables and pledges (USD)")]
    public static FundStatementReport FundStatement([Document("fundId", Required = true)] FundStatement statement) => FundStatementReport.From(statement);

    [WolverineGet("/api/funds/{fundId}/trial-balance")]
    [Tags("Statements")]
    [EndpointSummary("Trial balance of a fund (USD)")]
    public static async Task<TrialBalanceReport> TrialBalance(Guid fundId, IQuerySession session, CancellationToken cancellation)
    {
        var balance = await session.LoadAsync<TrialBalance>(fundId, cancellation) ?? new TrialBalance { Id = fundId };
        var lines = balance.Balances
            .Where(x => x.Value != 0m)
            .Select(x => new TrialBalanceLine((int)x.Key, x.Key, Math.Max(x.Value, 0m), Math.Max(-x.Value, 0m)))
            .ToList();
        var debits = lines.Sum(x => x.Debit);
        var credits = lines.Sum(x => x.Credit);
        return new TrialBalanceReport(fundId, lines, debits, credits, debits == credits);
    }

    [WolverineGet("/api/packages/{packageId}/status")]
    [Tags("Statements")]
    [EndpointSummary("A package's funding status and flags, as on a date (default today)")]
    public static IResult PackageStatus(
        [Document("packageId", Required = true)] PackageFundingStatus status, string? asOf, int? horizonDays, IClock clock, IOptions<FlagOptions> flags)
    {
        if (!TryAsOf(asOf, clock, out var day, out var problem)) return problem!;
        return Results.Ok(PackageStatusReport.From(status, day, horizonDays ?? flags.Value.AtRiskHorizonDays));
    }

    /// <summary>Every package's status; filters combine. Mandated and unfunded packages come first.</summary>
    [WolverineGet("/api/packages/status")]
    [Tags("Statements")]
    [EndpointSummary("Funding status of all packages, filtered by status, flag, country and mandate")]
    public static async Task<IResult> PackageStatuses(
        FundingStatus? status, FundingFlag? flag, string? country, bool? mandated, string? asOf, int? horizonDays, int? page, int? pageSize,
        IQuerySession session, IClock clock, IOptions<FlagOptions> flags, HttpContext http, CancellationToken cancellation)
    {
        if (!TryAsOf(asOf, clock, out var day, out var problem)) return problem!;
        var (paging, pagingProblem) = Page.From(page, pageSize);
        if (pagingProblem is not null) return pagingProblem;
        var query = session.Query<PackageFundingStatus>().AsQueryable();
        if (country is not null) query = query.Where(x => x.Country == country);
        var horizon = horizonDays ?? flags.Value.AtRiskHorizonDays;
        var reports = (await query.ToListAsync(cancellation))
            .Select(x => PackageStatusReport.From(x, day, horizon))
            .Where(x => status is null || x.Status == status)
            .Where(x => flag is null || x.Flags.Contains(flag.Value))
            .Where(x => mandated is null || (x.Origin != PackageOrigin.MemberStateRequest) == mandated)
            .OrderByDescending(x => x.Flags.Contains(FundingFlag.MandatedAndUnfunded))
            .ThenByDescending(x => x.Flags.Count)
            .ThenBy(x => x.Code, StringComparer.Ordinal)
            .ToList();
        return paging!.Of(reports, http);
    }

    [WolverineGet("/api/donors/statement")]
    [Tags("Statements")]
    [EndpointSummary("Donor statement: pledged, signed, received and outstanding, per fund and year (USD)")]
    public static async Task<IResult> DonorStatement(
        string? donor, int? page, int? pageSize, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (paging, problem) = Page.From(page, pageSize);
        if (problem is not null) return problem;
        var query = session.Query<Contribution>().AsQueryable();
        if (donor is not null) query = query.Where(x => x.Donor == donor);
        var contributions = await query.ToListAsync(cancellation);
        return paging!.Of(DonorStatementLines(contributions), http);
    }

    /// <summary>Movements grouped by donor, fund and year; outstanding amounts are as at the end of each year.</summary>
    public static IReadOnlyList<DonorStatementLine> DonorStatementLines(IEnumerable<Contribution> contributions) =>
        contributions
            .SelectMany(c => c.Movements.Select(m => (Contribution: c, Movement: m)))
            .GroupBy(x => (x.Contribution.Donor, x.Contribution.FundId, x.Movement.On.Year))
            .Select(g =>
            {
                decimal Sum(ContributionMovementKind kind) => g.Where(x => x.Movement.Kind == kind).Sum(x => x.Movement.UsdEquivalent.Amount);
                var endOfYear = new LocalDate(g.Key.Year, 12, 31);
                var outstanding = contributions
                    .Where(c => c.Donor == g.Key.Donor && c.FundId == g.Key.FundId)
                    .Select(c => Outstanding(c, endOfYear))
                    .Aggregate((Receivable: 0m, Pledge: 0m), (a, b) => (a.Receivable + b.Receivable, a.Pledge + b.Pledge));
                return new DonorStatementLine(g.Key.Donor, g.Key.FundId, g.Key.Year,
                    Sum(ContributionMovementKind.Pledged) - Sum(ContributionMovementKind.PledgeReduced),
                    Sum(ContributionMovementKind.Signed) - Sum(ContributionMovementKind.AgreementReduced),
                    Sum(ContributionMovementKind.Received), outstanding.Receivable, outstanding.Pledge);
            })
            .OrderBy(x => x.Donor, StringComparer.Ordinal).ThenBy(x => x.FundId).ThenBy(x => x.Year)
            .ToList();

    /// <summary>The receivable (booked USD) and the pledge not yet signed (USD at the pledge's rate) at a date.</summary>
    static (decimal Receivable, decimal Pledge) Outstanding(Contribution c, LocalDate on)
    {
        var upTo = c.Movements.Where(m => m.On <= on).ToList();
        decimal Currency(ContributionMovementKind kind) => upTo.Where(m => m.Kind == kind).Sum(m => m.Amount.Amount);

        var receivable = upTo.Sum(m => m.ReceivableChange);
        var pledgeLeft = Math.Max(0m, Currency(ContributionMovementKind.Pledged) - Currency(ContributionMovementKind.PledgeReduced) - Currency(ContributionMovementKind.Signed));
        return (receivable, pledgeLeft == 0m ? 0m : Money.RoundToCents(pledgeLeft / c.PledgeRate));
    }

    /// <summary>The "as of" date of a query: the given ISO date, or today (UTC) from the clock.</summary>
    static bool TryAsOf(string? value, IClock clock, out LocalDate day, out IResult? problem)
    {
        problem = null;
        if (value is null)
        {
            day = clock.GetCurrentInstant().InUtc().Date;
            return true;
        }

        var parsed = LocalDatePattern.Iso.Parse(value);
        day = parsed.Success ? parsed.Value : default;
        if (!parsed.Success)
        {
            problem = Results.ValidationProblem(new Dictionary<string, string[]> { ["asOf"] = [$"'{value}' is not a date (yyyy-MM-dd)."] });
        }

        return parsed.Success;
    }
}
