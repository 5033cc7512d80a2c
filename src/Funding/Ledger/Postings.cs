using Funding.Contributions;
using Funding.Funds;
using Funding.PackageFinance;

namespace Funding.Ledger;

/// <summary>
/// The posting rules: what each money event debits and credits in its fund's books. Pure, so the trial balance
/// can be rebuilt from the event log and the rules tested without a database. Events that move no money post
/// nothing (a pledge is indicative, an approval is a decision).
/// </summary>
public static class Postings
{
    public static IReadOnlyList<PostingLine> For(object @event) => @event switch
    {
        AgreementSigned e =>
        [
            PostingLine.Debit(Account.ReceivablesFromDonors, e.UsdEquivalent),
            PostingLine.Credit(Account.ContributionRevenue, e.UsdEquivalent),
        ],
        // A reversal takes back exactly what the agreement booked.
        AgreementReversed e =>
        [
            PostingLine.Debit(Account.ContributionRevenue, e.UsdEquivalent),
            PostingLine.Credit(Account.ReceivablesFromDonors, e.UsdEquivalent),
        ],
        AgreementReduced e =>
        [
            PostingLine.Debit(Account.ContributionRevenue, e.UsdReduction),
            PostingLine.Credit(Account.ReceivablesFromDonors, e.UsdReduction),
        ],
        DepositReceived e => Lines(
            PostingLine.Debit(Account.Cash, e.UsdEquivalent),
            PostingLine.Credit(Account.ReceivablesFromDonors, e.ReceivableSettled),
            PostingLine.Credit(Account.ExchangeGainsAndLosses, e.ExchangeDifference),
            PostingLine.Credit(Account.ContributionRevenue, e.RevenueRecognised)),
        ReceivableRevalued e => Lines(
            PostingLine.Debit(Account.ReceivablesFromDonors, e.UnrealisedDifference),
            PostingLine.Credit(Account.UnrealisedExchangeGainsAndLosses, e.UnrealisedDifference)),
        AdministrativeAgentFeeCharged e =>
        [
            PostingLine.Debit(Account.AdministrativeAgentFees, e.Amount),
            PostingLine.Credit(Account.Cash, e.Amount),
        ],
        InterestEarned e =>
        [
            PostingLine.Debit(Account.Cash, e.Amount),
            PostingLine.Credit(Account.Interest, e.Amount),
        ],
        RegularBudgetAppropriated e =>
        [
            PostingLine.Debit(Account.AppropriationAvailable, e.Amount),
            PostingLine.Credit(Account.Appropriations, e.Amount),
        ],
        FundsAllocated e =>
        [
            PostingLine.Debit(Account.Allocations, e.Amount),
            PostingLine.Credit(Account.AllocationsEarmarked, e.Amount),
        ],
        FundsTransferred e => Lines(
            PostingLine.Debit(Account.AmountsTransferred, e.Total),
            PostingLine.Credit(Account.Cash, e.DrawnFromCash),
            PostingLine.Credit(Account.AppropriationAvailable, e.DrawnFromAppropriation),
            // The transfer uses up the earmark it was made against.
            PostingLine.Debit(Account.AllocationsEarmarked, e.Total),
            PostingLine.Credit(Account.Allocations, e.Total)),
        ExpenditureReported e =>
        [
            PostingLine.Debit(Account.Expenditure, e.Change),
            PostingLine.Credit(Account.AmountsTransferred, e.Change),
        ],
        RefundReceived e =>
        [
            PostingLine.Debit(Account.Cash, e.Amount),
            PostingLine.Credit(Account.AmountsTransferred, e.Amount),
        ],
        _ => [],
    };

    /// <summary>Drops zero lines (an exact settlement has no exchange difference).</summary>
    static IReadOnlyList<PostingLine> Lines(params PostingLine[] lines) => lines.Where(x => x.Amount != 0m).ToList();
}
