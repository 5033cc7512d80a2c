using Funding.Contributions;
using Funding.Funds;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Rates;
using NodaTime;

namespace Funding.Ledger;

/// <summary>
/// The business date of each event: the day it happened in the world (signed, received, approved), as opposed to
/// the moment it was recorded. Reports "as at" a date cut on this; corrections carry the date of what they correct.
/// </summary>
public static class BusinessDates
{
    public static LocalDate? Of(object @event) => @event switch
    {
        FundEstablished e => e.EstablishedOn,
        InterestEarned e => e.EarnedOn,
        AdministrativeAgentFeeCharged e => e.ChargedOn,
        RegularBudgetAppropriated e => e.AppropriatedOn,
        FundOperationallyClosed e => e.ClosedOn,
        FundFinanciallyClosed e => e.ClosedOn,
        PledgeRecorded e => e.PledgedOn,
        PledgeReduced e => e.ReducedOn,
        AgreementSigned e => e.SignedOn,
        AgreementReductionRequested e => e.ReducedOn,
        AgreementReduced e => e.ReducedOn,
        AgreementCorrectionRequested e => e.SignedOn,
        AgreementReversed e => e.SignedOn,
        DepositReceived e => e.ValueDate,
        ReceivableRevalued e => e.MonthEnd,
        FundsAllocated e => e.AllocatedOn,
        FundsTransferred e => e.TransferredOn,
        ExpenditureReported e => e.AsOf,
        RefundReceived e => e.ReceivedOn,
        PackageRequested e => e.RequestedOn,
        NeedsAssessed e => e.AssessedOn,
        PackageApproved e => e.ApprovedOn,
        PackageClosed e => e.ClosedOn,
        OperationalRatesPublished e => e.EffectiveOn,
        _ => null,
    };
}
