using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Funding.Statements;

/// <summary>What a pledge still promises, tracked in its own currency so signing converts nothing.</summary>
public sealed record OpenPledge(string Currency, decimal Rate)
{
    public decimal Pledged { get; set; }
    public decimal Reduced { get; set; }
    public decimal Signed { get; set; }

    public decimal OutstandingUsd => Money.RoundToCents(Math.Max(0m, Pledged - Reduced - Signed) / Rate);
}

/// <summary>A donor's share of a closed fund's balance: in USD as the books record it, and as paid in the donor's currency.</summary>
public sealed record DonorRefund(string Donor, decimal Usd, Money Paid, NodaTime.LocalDate RefundedOn);

/// <summary>
/// A fund's funding status in the layout pooled funds publish, in USD. Sources and uses are cash; receivables
/// and pledges are shown on their own lines and never added into the balances.
/// </summary>
public sealed class FundStatement
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public FundKind Kind { get; set; }

    public decimal Contributions { get; set; }
    public decimal Interest { get; set; }
    public decimal OtherIncome { get; set; }
    public decimal AppropriationsLapsed { get; set; }
    public decimal BalancesReceivedFromOtherFunds { get; set; }
    public decimal RefundsToDonors { get; set; }
    public decimal BalancesMovedToOtherFunds { get; set; }

    /// <summary>Each donor's refund at the fund's financial closure, for the donor statement.</summary>
    public List<DonorRefund> DonorRefunds { get; set; } = [];
    public decimal TransferredToImplementingOrganisations { get; set; }
    public decimal Refunds { get; set; }
    public decimal AdministrativeAgentFees { get; set; }
    public decimal Expenditure { get; set; }

    public decimal Allocated { get; set; }
    public decimal ReceivablesBooked { get; set; }
    public decimal ReceivablesSettled { get; set; }
    public decimal RealisedExchangeGainsAndLosses { get; set; }
    public decimal UnrealisedExchangeGainsAndLosses { get; set; }
    public Dictionary<Guid, OpenPledge> Pledges { get; set; } = new();

    public decimal TotalSources => Contributions + Interest + OtherIncome - AppropriationsLapsed + BalancesReceivedFromOtherFunds;
    public decimal NetFundedAmount => TransferredToImplementingOrganisations - Refunds;
    public decimal TotalUses => NetFundedAmount + AdministrativeAgentFees + RefundsToDonors + BalancesMovedToOtherFunds;
    public decimal BalanceWithAdministrativeAgent => TotalSources - TotalUses;

    /// <summary>The balance with the administrative agent as a share of deposits, in percent (2 decimals).</summary>
    public decimal? BalanceWithAdministrativeAgentPercentOfDeposits =>
        Contributions == 0m ? null : decimal.Round(BalanceWithAdministrativeAgent / Contributions * 100m, 2, MidpointRounding.AwayFromZero);

    public decimal BalanceWithImplementingOrganisations => NetFundedAmount - Expenditure;

    /// <summary>Expenditure ÷ net transfers, in percent (1 decimal).</summary>
    public decimal? DeliveryRatePercent =>
        NetFundedAmount == 0m ? null : decimal.Round(Expenditure / NetFundedAmount * 100m, 1, MidpointRounding.AwayFromZero);

    public decimal TotalBalance => BalanceWithAdministrativeAgent + BalanceWithImplementingOrganisations;

    public decimal AllocatedNotYetTransferred => Allocated - TransferredToImplementingOrganisations;
    public decimal ReceivablesOutstanding => ReceivablesBooked - ReceivablesSettled;
    public decimal OutstandingPledges => Pledges.Values.Sum(x => x.OutstandingUsd);
}

/// <summary>Inline: finance officers read the statement right after recording, and allocations check it.</summary>
public sealed class FundStatementProjection : MultiStreamProjection<FundStatement, Guid>
{
    public FundStatementProjection()
    {
        Identity<IFundEvent>(e => e.FundId);
        foreach (var type in LedgerEvents.Implementing<IFundEvent>()) IncludeType(type);
        Options.BatchSize = LedgerProjections.RebuildBatchSize;
    }

    public override FundStatement? Evolve(FundStatement? snapshot, Guid id, IEvent e)
    {
        if (e.Data is FundEstablished established)
        {
            return new FundStatement { Id = id, Code = established.Code, Name = established.Name, Kind = established.Kind };
        }

        if (snapshot is null) return null;
        switch (e.Data)
        {
            case DepositReceived x:
                snapshot.Contributions += x.UsdEquivalent.Amount;
                snapshot.ReceivablesSettled += x.ReceivableSettled.Amount;
                snapshot.RealisedExchangeGainsAndLosses += x.ExchangeDifference.Amount;
                break;
            case InterestEarned x:
                snapshot.Interest += x.Amount.Amount;
                break;
            case RegularBudgetAppropriated x:
                snapshot.OtherIncome += x.Amount.Amount;
                break;
            case AppropriationLapsed x:
                snapshot.AppropriationsLapsed += x.Amount.Amount;
                break;
            case BalanceRefundedToDonor x:
                snapshot.RefundsToDonors += x.Share.Amount;
                snapshot.DonorRefunds.Add(new DonorRefund(x.Donor, x.Share.Amount, x.Paid, x.RefundedOn));
                break;
            case BalanceMovedToFund x:
                snapshot.BalancesMovedToOtherFunds += x.Amount.Amount;
                break;
            case BalanceReceivedFromFund x:
                snapshot.BalancesReceivedFromOtherFunds += x.Amount.Amount;
                break;
            case AdministrativeAgentFeeCharged x:
                snapshot.AdministrativeAgentFees += x.Amount.Amount;
                break;
            case FundsAllocated x:
                snapshot.Allocated += x.Amount.Amount;
                break;
            case AllocationReturned x:
                snapshot.Allocated -= x.Amount.Amount;
                break;
            case FundsTransferred x:
                snapshot.TransferredToImplementingOrganisations += x.Total.Amount;
                break;
            case ExpenditureReported x:
                snapshot.Expenditure += x.Change.Amount;
                break;
            case RefundReceived x:
                snapshot.Refunds += x.Amount.Amount;
                break;
            case AgreementSigned x:
                snapshot.ReceivablesBooked += x.UsdEquivalent.Amount;
                if (snapshot.Pledges.TryGetValue(x.ContributionId, out var pledge)) pledge.Signed += x.Amount.Amount;
                break;
            case AgreementReversed x:
                snapshot.ReceivablesBooked -= x.UsdEquivalent.Amount;
                if (snapshot.Pledges.TryGetValue(x.ContributionId, out var unsigned)) unsigned.Signed -= x.Amount.Amount;
                break;
            case ReceivableRevalued x:
                snapshot.ReceivablesBooked += x.UnrealisedDifference.Amount;
                snapshot.UnrealisedExchangeGainsAndLosses += x.UnrealisedDifference.Amount;
                break;
            case AgreementReduced x:
                snapshot.ReceivablesBooked -= x.UsdReduction.Amount;
                break;
            case PledgeRecorded x:
                snapshot.Pledges[x.ContributionId] = new OpenPledge(x.Amount.Currency, x.Rate) { Pledged = x.Amount.Amount };
                break;
            case PledgeReduced x:
                if (snapshot.Pledges.TryGetValue(x.ContributionId, out var reduced)) reduced.Reduced += x.Reduction.Amount;
                break;
            case FundOperationallyClosed or FundFinanciallyClosed or AgreementReductionRequested or AgreementCorrectionRequested:
                // No figure of the statement moves: a closure changes what may happen next, a request waits for its confirmation.
                break;
            default:
                throw EventNotFoldedException.By<FundStatement>(e.Data);
        }

        return snapshot;
    }
}
