using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.PackageFinance.Allocating;
using Funding.PackageFinance.Refunding;
using Funding.PackageFinance.ReportingExpenditure;
using Funding.PackageFinance.Transferring;
using Funding.Packages;
using Funding.Shared;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.PackageFinance;

public class PackageFinanceDeciderTests
{
    static readonly Package Open = ApprovedPackage();
    static FundsAllocated Allocated(decimal amount) => new(FundId, PackageId, ElectoralPhase.Polling, Usd(amount), D(2024, 5, 1));
    static FundsTransferred Transferred(decimal total) =>
        new(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(total), 0m, Usd(0m), Usd(total), Usd(total), Usd(0m), D(2024, 5, 2));

    static AllocateFunds Allocate(decimal amount) => new(FundId, ElectoralPhase.Polling, new MoneyInput(amount, "USD"), D(2024, 5, 1));
    static TransferFunds Transfer(decimal programmable, string organisation = "UNDP", decimal? indirect = null) =>
        new(FundId, ElectoralPhase.Polling, organisation, new MoneyInput(programmable, "USD"), indirect, D(2024, 5, 2));

    static string? Rule(Decision decision) => decision.Rejection?.Rule;

    [Fact]
    public void an_allocation_fits_in_unallocated_cash_and_the_phase_requirement()
    {
        var status = ApprovedStatus();

        AllocateFunds.Decide(Fund(), Open, status, depositsReceived: 1_000_000m, Allocate(1_000_000m)).Events
            .ShouldBe([new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(1_000_000m), D(2024, 5, 1))]);
        Rule(AllocateFunds.Decide(Fund(), Open, status, depositsReceived: 999_999.99m, Allocate(1_000_000m)))
            .ShouldBe("allocation-exceeds-available-cash");
        Rule(AllocateFunds.Decide(Fund(), Open, status, depositsReceived: 5_000_000m, Allocate(1_000_000.01m)))
            .ShouldBe("allocation-exceeds-requirement");
    }

    [Fact]
    public void money_already_allocated_or_paid_out_is_not_available_again()
    {
        var status = Status(Assessed(), Approved(Polling(5_000_000m)));
        var fund = Fund(Allocated(600_000m), new AdministrativeAgentFeeCharged(FundId, ContributionId, Usd(1_000_000m), 1m, Usd(10_000m), D(2024, 4, 1)));

        // 1,000,000 deposited - 10,000 fee - 600,000 allocated = 390,000 left.
        Rule(AllocateFunds.Decide(fund, Open, status, 1_000_000m, Allocate(390_000.01m))).ShouldBe("allocation-exceeds-available-cash");
        Rule(AllocateFunds.Decide(fund, Open, status, 1_000_000m, Allocate(390_000m))).ShouldBeNull();
    }

    [Fact]
    public void a_regular_budget_appropriation_counts_as_available()
    {
        var regular = Fund(Established(FundKind.RegularBudget),
            new RegularBudgetAppropriated(FundId, 2024, Usd(2_000_000m), "A/RES/78/253", D(2024, 1, 2)));
        Rule(AllocateFunds.Decide(regular, Open, ApprovedStatus(), 0m, Allocate(1_000_000m))).ShouldBeNull();

        var transfer = (FundsTransferred)TransferFunds.Decide(Fund(Established(FundKind.RegularBudget),
                new RegularBudgetAppropriated(FundId, 2024, Usd(2_000_000m), "A/RES/78/253", D(2024, 1, 2)), Allocated(1_070_000m)),
            Open, 0m, Transfer(1_000_000m)).Events.Single();
        (transfer.DrawnFromCash, transfer.DrawnFromAppropriation).ShouldBe((Usd(0m), Usd(1_070_000m)));
    }

    [Fact]
    public void allocations_go_only_to_approved_open_packages_in_eligible_countries()
    {
        var status = ApprovedStatus();
        Rule(AllocateFunds.Decide(Fund(), Package(Requested(), Assessed()), status, 1e6m, Allocate(1m))).ShouldBe("package-not-approved");
        Rule(AllocateFunds.Decide(Fund(), Package(Requested(), Assessed(), Approved(), new PackageClosed(PackageId, D(2025, 1, 1))), status, 1e6m, Allocate(1m)))
            .ShouldBe("package-closed");
        Rule(AllocateFunds.Decide(Fund(Established(countries: "NP")), Open, status, 1e6m, Allocate(1m))).ShouldBe("country-not-eligible");
        Rule(AllocateFunds.Decide(Fund(new FundOperationallyClosed(FundId, D(2024, 4, 2))), Open, status, 1e6m, Allocate(1m))).ShouldBe("fund-closed");
        Rule(AllocateFunds.Decide(Fund(), Open, status, 1e6m, Allocate(1m) with { Phase = ElectoralPhase.Results })).ShouldBe("phase-not-approved");
    }

    [Fact]
    public void a_transfer_adds_indirect_cost_and_stays_within_the_allocation()
    {
        var fund = Fund(Allocated(2_140_000m));

        var transfer = (FundsTransferred)TransferFunds.Decide(fund, Open, 3_000_000m, Transfer(2_000_000m)).Events.Single();
        (transfer.IndirectCostPercent, transfer.IndirectCost, transfer.Total, transfer.DrawnFromCash).ShouldBe((7m, Usd(140_000m), Usd(2_140_000m), Usd(2_140_000m)));

        Rule(TransferFunds.Decide(fund, Open, 3_000_000m, Transfer(2_000_000.01m))).ShouldBe("transfer-exceeds-allocation");
        Rule(TransferFunds.Decide(fund, Open, 3_000_000m, Transfer(2_140_000m, indirect: 0m))).ShouldBeNull();
        Rule(TransferFunds.Decide(fund, Open, 3_000_000m, Transfer(1m, organisation: "UNICEF"))).ShouldBe("unknown-implementing-organisation");
        Rule(TransferFunds.Decide(fund, Open, 2_000_000m, Transfer(2_000_000m))).ShouldBe("insufficient-cash");
    }

    [Fact]
    public void expenditure_to_date_cannot_exceed_net_transfers_and_replaces_the_previous_report()
    {
        var fund = Fund(Allocated(1_000m), Transferred(1_000m), new RefundReceived(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(100m), D(2024, 6, 1)));
        ReportExpenditure Report(decimal cumulative, ExpenditureBasis basis = ExpenditureBasis.Interim) =>
            new(FundId, ElectoralPhase.Polling, "UNDP", basis, new MoneyInput(cumulative, "USD"), D(2024, 12, 31));

        Rule(ReportExpenditure.Decide(fund, Open, Report(900.01m))).ShouldBe("expenditure-exceeds-net-transfers");
        var interim = (ExpenditureReported)ReportExpenditure.Decide(fund, Open, Report(800m)).Events.Single();
        interim.Change.ShouldBe(Usd(800m));

        var certified = (ExpenditureReported)ReportExpenditure.Decide(Fund(Allocated(1_000m), Transferred(1_000m), interim), Open,
            Report(750m, ExpenditureBasis.Certified)).Events.Single();
        (certified.CumulativeToDate, certified.Change).ShouldBe((Usd(750m), Usd(-50m)));

        Rule(ReportExpenditure.Decide(Fund(), Open, Report(1m))).ShouldBe("nothing-transferred");
    }

    [Fact]
    public void only_unspent_money_is_refunded()
    {
        var fund = Fund(Allocated(1_000m), Transferred(1_000m),
            new ExpenditureReported(FundId, PackageId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Interim, Usd(700m), Usd(700m), D(2024, 12, 31)));
        RecordRefund Refund(decimal amount) => new(FundId, ElectoralPhase.Polling, "UNDP", new MoneyInput(amount, "USD"), D(2025, 1, 5));

        Rule(RecordRefund.Decide(fund, Open, Refund(300.01m))).ShouldBe("refund-exceeds-unspent");
        RecordRefund.Decide(fund, Open, Refund(300m)).Events.ShouldBe([new RefundReceived(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(300m), D(2025, 1, 5))]);
    }
}
