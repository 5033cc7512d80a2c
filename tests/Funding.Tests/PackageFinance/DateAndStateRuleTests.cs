using Funding.Funds;
using Funding.Funds.EarningInterest;
using Funding.PackageFinance;
using Funding.PackageFinance.Allocating;
using Funding.PackageFinance.Refunding;
using Funding.PackageFinance.ReportingExpenditure;
using Funding.PackageFinance.Returning;
using Funding.PackageFinance.Transferring;
using Funding.Packages;
using Funding.Packages.Approving;
using Funding.Packages.Assessing;
using Funding.Packages.Closing;
using Funding.Shared;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.PackageFinance;

/// <summary>Nothing is recorded before the fact it depends on, or against something already closed.</summary>
public class DateAndStateRuleTests
{
    static readonly Package Approved_ = ApprovedPackage();
    static MoneyInput UsdIn(decimal amount) => new(amount, "USD");

    [Fact]
    public void steps_cannot_predate_the_step_they_follow()
    {
        AssessNeeds.Decide(Package(Requested()), new AssessNeeds(D(2024, 1, 31), [], ["UNDP"]), "focal.point").Rejection!.Rule
            .ShouldBe("assessment-before-request");
        ApprovePackage.Decide(Package(Requested(), Assessed()), new ApprovePackage(D(2024, 2, 28), [new ApprovedPhaseInput(ElectoralPhase.Polling, UsdIn(1m))]), "focal.point")
            .Rejection!.Rule.ShouldBe("approval-before-assessment");
        AllocateFunds.Decide(Fund(), Approved_, ApprovedStatus(), 1e6m, new AllocateFunds(FundId, ElectoralPhase.Polling, UsdIn(1m), D(2024, 3, 31)))
            .Rejection!.Rule.ShouldBe("allocation-before-approval");
        TransferFunds.Decide(Fund(new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(10m), D(2024, 4, 2))), Approved_, 1e6m,
                new TransferFunds(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), null, D(2024, 3, 31)))
            .Rejection!.Rule.ShouldBe("transfer-before-approval");
        ClosePackage.Decide(Package(Requested()), null, [], new ClosePackage(D(2024, 1, 1))).Rejection!.Rule.ShouldBe("closing-before-request");
    }

    [Fact]
    public void money_coming_back_cannot_predate_the_package_approval()
    {
        var transferred = Fund(
            new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(100m), D(2024, 4, 2)),
            new FundsTransferred(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(50m), 0m, Usd(0m), Usd(50m), Usd(50m), Usd(0m), D(2024, 4, 3)));

        var refund = RecordRefund.Decide(transferred, Approved_, new RecordRefund(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), D(1945, 10, 24)));
        (refund.Rejection!.Rule, refund.Rejection.Field).ShouldBe(("refund-before-approval", "receivedOn"));
        var spent = ReportExpenditure.Decide(transferred, Approved_,
            new ReportExpenditure(FundId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Interim, UsdIn(1m), D(2024, 3, 31)));
        (spent.Rejection!.Rule, spent.Rejection.Field).ShouldBe(("expenditure-before-approval", "asOf"));
        var returned = ReturnAllocation.Decide(transferred, Approved_, new ReturnAllocation(FundId, ElectoralPhase.Polling, UsdIn(1m), "under budget", D(2024, 3, 31)));
        (returned.Rejection!.Rule, returned.Rejection.Field).ShouldBe(("return-before-approval", "returnedOn"));

        // On the day of approval each is taken.
        RecordRefund.Decide(transferred, Approved_, new RecordRefund(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), D(2024, 4, 1))).IsRejected.ShouldBeFalse();
    }

    [Fact]
    public void a_refund_or_an_expenditure_report_cannot_be_dated_in_the_future()
    {
        var errors = new ValidationErrors();
        new RecordRefund(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), Today.PlusDays(1)).Validate(errors, Today);
        new ReportExpenditure(FundId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Interim, UsdIn(1m), Today.PlusDays(1)).Validate(errors, Today);
        errors.ToDictionary().Keys.ShouldBe(["receivedOn", "asOf"], ignoreOrder: true);
    }

    [Fact]
    public void a_closed_package_or_a_financially_closed_fund_takes_no_more_money()
    {
        var closedPackage = Package(Requested(), Assessed(), Approved(), new PackageClosed(PackageId, D(2025, 1, 1)));
        var allocated = Fund(new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(10m), D(2024, 4, 2)));
        TransferFunds.Decide(allocated, closedPackage, 1e6m, new TransferFunds(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), null, D(2025, 1, 2)))
            .Rejection!.Rule.ShouldBe("package-not-open");
        ClosePackage.Decide(closedPackage, null, [], new ClosePackage(D(2025, 2, 1))).Rejection!.Rule.ShouldBe("package-closed");

        var financiallyClosed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)), new FundFinanciallyClosed(FundId, D(2025, 6, 1)));
        TransferFunds.Decide(financiallyClosed, Approved_, 1e6m, new TransferFunds(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), null, D(2025, 6, 2)))
            .Rejection!.Rule.ShouldBe("fund-financially-closed");
        RecordRefund.Decide(financiallyClosed, Approved_, new RecordRefund(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(1m), D(2025, 6, 2)))
            .Rejection!.Rule.ShouldBe("fund-financially-closed");
        RecordInterest.Decide(financiallyClosed, new RecordInterest(UsdIn(1m), D(2025, 6, 2))).Rejection!.Rule.ShouldBe("fund-financially-closed");
    }

    [Fact]
    public void an_operationally_closed_fund_still_transfers_what_it_had_allocated()
    {
        var fund = Fund(new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(107m), D(2024, 4, 2)), new FundOperationallyClosed(FundId, D(2024, 5, 1)));
        TransferFunds.Decide(fund, Approved_, 1_000m, new TransferFunds(FundId, ElectoralPhase.Polling, "UNDP", UsdIn(100m), null, D(2024, 5, 2)))
            .IsRejected.ShouldBeFalse();
    }
}
