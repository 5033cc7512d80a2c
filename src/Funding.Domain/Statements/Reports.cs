using Funding.Ledger;
using Funding.Packages;
using NodaTime;

namespace Funding.Statements;

/// <summary>The thresholds of the date-dependent flags. Bound from "Funding:Flags".</summary>
public sealed record FlagOptions
{
    /// <summary>How far ahead a phase without money counts as at risk.</summary>
    public int AtRiskHorizonDays { get; set; } = 60;

    /// <summary>How long a package may wait for its assessment, or once assessed for its decision, before it is flagged.</summary>
    public int AwaitingDecisionDays { get; set; } = 30;
}

public sealed record TrialBalanceLine(int Code, Account Account, decimal Debit, decimal Credit);

public sealed record TrialBalanceReport(Guid FundId, IReadOnlyList<TrialBalanceLine> Lines, decimal TotalDebits, decimal TotalCredits, bool Balanced)
{
    public static TrialBalanceReport From(Guid fundId, TrialBalance? balance)
    {
        var lines = (balance?.Balances ?? [])
            .Where(x => x.Value != 0m)
            .Select(x => new TrialBalanceLine((int)x.Key, x.Key, Math.Max(x.Value, 0m), Math.Max(-x.Value, 0m)))
            .ToList();
        var debits = lines.Sum(x => x.Debit);
        var credits = lines.Sum(x => x.Credit);
        return new TrialBalanceReport(fundId, lines, debits, credits, debits == credits);
    }
}

/// <summary>The fund statement in the layout pooled funds publish (USD).</summary>
public sealed record FundStatementReport(
    Guid FundId, string Code, string Name,
    decimal Contributions, decimal Interest, decimal OtherIncome, decimal TotalSources,
    decimal TransferredToImplementingOrganisations, decimal Refunds, decimal NetFundedAmount, decimal AdministrativeAgentFees,
    decimal TotalUses, decimal BalanceWithAdministrativeAgent, decimal? BalanceWithAdministrativeAgentPercentOfDeposits,
    decimal Expenditure, decimal BalanceWithImplementingOrganisations, decimal? DeliveryRatePercent, decimal TotalBalance,
    decimal AllocatedNotYetTransferred, decimal ReceivablesOutstanding, decimal OutstandingPledges, decimal RealisedExchangeGainsAndLosses,
    decimal UnrealisedExchangeGainsAndLosses, decimal AppropriationsLapsed = 0m, decimal BalancesReceivedFromOtherFunds = 0m,
    decimal RefundsToDonors = 0m, decimal BalancesMovedToOtherFunds = 0m)
{
    public static FundStatementReport From(FundStatement s) => new(
        s.Id, s.Code, s.Name, s.Contributions, s.Interest, s.OtherIncome, s.TotalSources,
        s.TransferredToImplementingOrganisations, s.Refunds, s.NetFundedAmount, s.AdministrativeAgentFees, s.TotalUses,
        s.BalanceWithAdministrativeAgent, s.BalanceWithAdministrativeAgentPercentOfDeposits, s.Expenditure,
        s.BalanceWithImplementingOrganisations, s.DeliveryRatePercent, s.TotalBalance, s.AllocatedNotYetTransferred,
        s.ReceivablesOutstanding, s.OutstandingPledges, s.RealisedExchangeGainsAndLosses, s.UnrealisedExchangeGainsAndLosses,
        s.AppropriationsLapsed, s.BalancesReceivedFromOtherFunds, s.RefundsToDonors, s.BalancesMovedToOtherFunds);

    /// <summary>The statement's amounts as the lines it is printed in, in order, each with its stable name (the percentages are not lines).</summary>
    public static IReadOnlyList<FundStatementLine> Lines(FundStatementReport s) =>
    [
        new("Contributions", s.Contributions), new("Interest", s.Interest), new("Other income", s.OtherIncome),
        new("Appropriations lapsed", s.AppropriationsLapsed), new("Balances received from other funds", s.BalancesReceivedFromOtherFunds),
        new("Total sources", s.TotalSources),
        new("Transferred to implementing organisations", s.TransferredToImplementingOrganisations), new("Refunds", s.Refunds),
        new("Net funded amount", s.NetFundedAmount), new("Administrative agent fees", s.AdministrativeAgentFees),
        new("Refunds to donors", s.RefundsToDonors), new("Balances moved to other funds", s.BalancesMovedToOtherFunds), new("Total uses", s.TotalUses),
        new("Balance with administrative agent", s.BalanceWithAdministrativeAgent), new("Expenditure", s.Expenditure),
        new("Balance with implementing organisations", s.BalanceWithImplementingOrganisations), new("Total balance", s.TotalBalance),
        new("Allocated, not yet transferred", s.AllocatedNotYetTransferred), new("Receivables outstanding", s.ReceivablesOutstanding),
        new("Outstanding pledges (indicative)", s.OutstandingPledges), new("Realised exchange gains and losses", s.RealisedExchangeGainsAndLosses),
        new("Unrealised exchange gains and losses", s.UnrealisedExchangeGainsAndLosses),
    ];
}

public sealed record FundStatementLine(string Line, decimal Usd);

public sealed record PhaseStatusReport(
    ElectoralPhase Phase, LocalDate StartsOn, LocalDate EndsOn, decimal Approved, decimal Allocated, decimal Transferred,
    decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent, bool AtRisk);

/// <summary>
/// A package's funding status as on a date: the stored figures plus the flags that date gives. A single live status
/// also carries the forecast of when its money will arrive (none in lists, nor as at a past date).
/// </summary>
public sealed record PackageStatusReport(
    Guid PackageId, string Code, string Country, string ElectoralProcess, PackageOrigin Origin, string? Mandate,
    PackageStatus Stage, FundingStatus Status, IReadOnlyList<FundingFlag> Flags, LocalDate AsOf,
    decimal Approved, decimal Allocated, decimal Transferred, decimal Refunded, decimal Spent, decimal Gap, decimal? CoveragePercent,
    IReadOnlyList<PhaseStatusReport> Phases, IReadOnlyList<FundingSource> Sources, decimal Assessed, IReadOnlyList<PhaseBudget> AssessedPhases,
    decimal AssessedGap, Packages.Approving.FundingForecast? Forecast = null)
{
    public static PackageStatusReport From(PackageFundingStatus s, LocalDate asOf, FlagOptions rules)
    {
        var atRisk = s.PhasesAtRisk(asOf, rules.AtRiskHorizonDays).Select(x => x.Phase).ToHashSet();
        return new PackageStatusReport(
            s.Id, s.Code, s.Country, s.ElectoralProcess, s.Origin, s.Mandate, s.Stage, s.Status, s.FlagsOn(asOf, rules), asOf,
            s.Approved, s.Allocated, s.Transferred, s.Refunded, s.Spent, s.Gap, s.CoveragePercent,
            s.Phases.Select(p => new PhaseStatusReport(p.Phase, p.StartsOn, p.EndsOn, p.Approved, p.Allocated, p.Transferred,
                p.Refunded, p.Spent, p.Gap, p.CoveragePercent, atRisk.Contains(p.Phase))).ToList(),
            s.Sources,
            s.Assessed, s.AssessedPhases,
            // The pipeline's gap: what an assessed package would need, shown beside the approved gap and never added to it.
            s.Stage == PackageStatus.NeedsAssessed ? s.Assessed : 0m);
    }
}

public sealed record DonorStatementLine(
    string Donor, Guid FundId, int Year, decimal Pledged, decimal Signed, decimal Received, decimal OutstandingReceivable, decimal OutstandingPledge, decimal RefundedAtClosure = 0m);
