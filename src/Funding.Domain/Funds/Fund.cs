using Funding.Statements;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using NodaTime;

namespace Funding.Funds;

public enum FundStatus
{
    Open,
    OperationallyClosed,
    FinanciallyClosed,
}

/// <summary>What one fund has put into one phase of one package, and where that money is now.</summary>
public sealed record PhaseAccount(Guid PackageId, ElectoralPhase Phase)
{
    public decimal Allocated { get; set; }
    public decimal Transferred { get; set; }

    /// <summary>Per implementing organisation: transferred, refunded, and spent to date.</summary>
    public Dictionary<string, OrganisationAccount> Organisations { get; set; } = new(StringComparer.Ordinal);

    public decimal AllocationNotYetTransferred => Allocated - Transferred;
}

public sealed record OrganisationAccount
{
    public decimal Transferred { get; set; }
    public decimal Refunded { get; set; }
    public decimal SpentToDate { get; set; }

    public decimal NetTransfers => Transferred - Refunded;
    public decimal Unspent => NetTransfers - SpentToDate;
}

/// <summary>
/// A fund's write model, folded from its own stream: its settings and every movement of its money except the
/// deposits, which arrive on contribution streams. It is also the fund's read model (an inline snapshot).
/// All amounts are USD.
/// </summary>
public sealed record Fund(
    Guid Id,
    string Code,
    string Name,
    FundKind Kind,
    decimal AdministrativeAgentFeePercent,
    decimal DefaultIndirectCostPercent,
    IReadOnlyList<string> EligibleCountries,
    LocalDate EstablishedOn,
    FundStatus Status) : IFolded<Fund>
{
    /// <summary>Stream version, set by Marten; used for optimistic concurrency.</summary>
    public int Version { get; set; }

    public decimal Interest { get; set; }
    public decimal Fees { get; set; }
    public decimal Refunds { get; set; }
    public decimal TransfersFromCash { get; set; }
    public decimal Appropriated { get; set; }
    public decimal TransfersFromAppropriation { get; set; }
    public decimal AppropriationsLapsed { get; set; }
    public decimal RefundsToDonors { get; set; }
    public decimal BalancesMovedOut { get; set; }
    public decimal BalancesMovedIn { get; set; }

    /// <summary>Appropriations by the budget year they are for: a year's close lapses only what is for that year or earlier.</summary>
    public Dictionary<int, decimal> AppropriatedByYear { get; set; } = new();

    /// <summary>Keyed "packageId/phase".</summary>
    public Dictionary<string, PhaseAccount> Phases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The one fold of a fund's stream: Marten's inline snapshot, the replays, the import and the tests all use it.
    /// An event it does not know is refused, never skipped.
    /// </summary>
    public static Fund Fold(Fund? fund, object @event)
    {
        if (fund is null) return @event is FundEstablished established ? Begin(established) : throw EventNotFoldedException.Before<Fund>(@event);
        switch (@event)
        {
            case InterestEarned e: fund.Interest += e.Amount.Amount; return fund;
            case AdministrativeAgentFeeCharged e: fund.Fees += e.Amount.Amount; return fund;
            case RegularBudgetAppropriated e:
                fund.Appropriated += e.Amount.Amount;
                fund.AppropriatedByYear[e.Year] = fund.AppropriatedByYear.GetValueOrDefault(e.Year) + e.Amount.Amount;
                return fund;
            case AppropriationLapsed e: fund.AppropriationsLapsed += e.Amount.Amount; return fund;
            case BalanceRefundedToDonor e: fund.RefundsToDonors += e.Share.Amount; return fund;
            case BalanceMovedToFund e: fund.BalancesMovedOut += e.Amount.Amount; return fund;
            case BalanceReceivedFromFund e: fund.BalancesMovedIn += e.Amount.Amount; return fund;
            case FundOperationallyClosed: return fund with { Status = FundStatus.OperationallyClosed };
            case FundFinanciallyClosed: return fund with { Status = FundStatus.FinanciallyClosed };
            case FundsAllocated e: fund.Account(e.PackageId, e.Phase).Allocated += e.Amount.Amount; return fund;
            case AllocationReturned e: fund.Account(e.PackageId, e.Phase).Allocated -= e.Amount.Amount; return fund;
            case FundsTransferred e: fund.Transfer(e); return fund;
            case ExpenditureReported e: Organisation(fund.Account(e.PackageId, e.Phase), e.ImplementingOrganisation).SpentToDate = e.CumulativeToDate.Amount; return fund;
            case RefundReceived e: fund.Refund(e); return fund;
            default: throw EventNotFoldedException.By<Fund>(@event);
        }
    }

    static Fund Begin(FundEstablished established) => new(
        established.FundId,
        established.Code,
        established.Name,
        established.Kind,
        established.AdministrativeAgentFeePercent,
        established.DefaultIndirectCostPercent,
        established.EligibleCountries,
        established.EstablishedOn,
        FundStatus.Open);

    public bool MayFund(string countryCode) => EligibleCountries.Count == 0 || EligibleCountries.Contains(countryCode);

    /// <summary>Cash held by the administrative agent, given the deposits received so far.</summary>
    public decimal CashWith(decimal depositsReceived) =>
        depositsReceived + Interest + Refunds + BalancesMovedIn - Fees - TransfersFromCash - RefundsToDonors - BalancesMovedOut;

    public decimal AppropriationAvailable => Appropriated - TransfersFromAppropriation - AppropriationsLapsed;

    /// <summary>
    /// At the close of <paramref name="year"/>: the appropriation for that year or earlier that is neither transferred nor
    /// earmarked by an allocation lapses; allocations already made carry over. Null when nothing lapses.
    /// </summary>
    public AppropriationLapsed? LapseAt(int year)
    {
        var forLaterYears = AppropriatedByYear.Where(x => x.Key > year).Sum(x => x.Value);
        var lapsing = AppropriationAvailable - forLaterYears - OutstandingAllocations;
        return lapsing > 0m ? new AppropriationLapsed(Id, year, Money.Usd(lapsing), new LocalDate(year, 12, 31)) : null;
    }

    public decimal OutstandingAllocations => Phases.Values.Sum(x => x.AllocationNotYetTransferred);

    /// <summary>Cash plus undrawn appropriation that no allocation has earmarked yet.</summary>
    public decimal UnallocatedWith(decimal depositsReceived) =>
        CashWith(depositsReceived) + AppropriationAvailable - OutstandingAllocations;

    public PhaseAccount? PhaseAccountFor(Guid packageId, ElectoralPhase phase) => Phases.GetValueOrDefault(Key(packageId, phase));

    void Transfer(FundsTransferred e)
    {
        var account = Account(e.PackageId, e.Phase);
        account.Transferred += e.Total.Amount;
        Organisation(account, e.ImplementingOrganisation).Transferred += e.Total.Amount;
        TransfersFromCash += e.DrawnFromCash.Amount;
        TransfersFromAppropriation += e.DrawnFromAppropriation.Amount;
    }

    void Refund(RefundReceived e)
    {
        Organisation(Account(e.PackageId, e.Phase), e.ImplementingOrganisation).Refunded += e.Amount.Amount;
        Refunds += e.Amount.Amount;
    }

    PhaseAccount Account(Guid packageId, ElectoralPhase phase)
    {
        var key = Key(packageId, phase);
        if (!Phases.TryGetValue(key, out var account)) Phases[key] = account = new PhaseAccount(packageId, phase);
        return account;
    }

    static OrganisationAccount Organisation(PhaseAccount account, string organisation)
    {
        if (!account.Organisations.TryGetValue(organisation, out var found)) account.Organisations[organisation] = found = new OrganisationAccount();
        return found;
    }

    static string Key(Guid packageId, ElectoralPhase phase) => $"{packageId:N}/{phase}";
}
