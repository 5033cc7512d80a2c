using Funding.Funds;
using Funding.Funds.Appropriating;
using Funding.Funds.Closing;
using Funding.Funds.EarningInterest;
using Funding.PackageFinance;
using Funding.Packages;
using Funding.Shared;
using Funding.Statements;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Funds;

public class FundDeciderTests
{
    static FundStatement Statement(params object[] events)
    {
        var projection = new FundStatementProjection();
        FundStatement? statement = null;
        foreach (var e in events.Prepend(Established())) statement = projection.Evolve(statement, FundId, new JasperFx.Events.Event<object>(e));
        return statement!;
    }

    [Fact]
    public void appropriations_go_only_to_the_regular_budget()
    {
        var command = new AppropriateRegularBudget(2024, new MoneyInput(1_000m, "USD"), "A/RES/78/253", D(2024, 1, 2));
        AppropriateRegularBudget.Decide(Fund(), command).Rejection!.Rule.ShouldBe("not-a-regular-budget-fund");
        AppropriateRegularBudget.Decide(Fund(Established(FundKind.RegularBudget)), command).Events
            .ShouldBe([new RegularBudgetAppropriated(FundId, 2024, Usd(1_000m), "A/RES/78/253", D(2024, 1, 2))]);
    }

    [Fact]
    public void interest_is_not_earned_before_the_fund_exists()
    {
        RecordInterest.Decide(Fund(), new RecordInterest(new MoneyInput(1m, "USD"), D(2023, 12, 31)))
            .Rejection!.Rule.ShouldBe("before-establishment");
    }

    [Fact]
    public void a_fund_closes_operationally_then_financially_once_nothing_is_left_open()
    {
        var financially = new CloseFund(ClosureStage.Financial, D(2025, 6, 30));
        CloseFund.Decide(Fund(), Statement(), [], [], null, financially).Rejection!.Rule.ShouldBe("operational-closure-first");

        var closed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)));
        var allocated = new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(100m), D(2024, 5, 1));
        CloseFund.Decide(closed, Statement(allocated), [], [], null, financially).Rejection!.Rule.ShouldBe("balances-open");
        CloseFund.Decide(closed, Statement(), [], [], null, financially).Events.ShouldBe([new FundFinanciallyClosed(FundId, D(2025, 6, 30))]);
        CloseFund.Decide(closed, Statement(), [], [], null, new CloseFund(ClosureStage.Operational, D(2025, 2, 1))).Rejection!.Rule.ShouldBe("already-closed");
    }

    [Fact]
    public void shares_that_do_not_divide_to_the_cent_are_rounded_and_the_last_donor_takes_the_rest()
    {
        var closed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)));
        var statement = Statement(
            new Funding.Contributions.DepositReceived(Guid.NewGuid(), "X", FundId, "X", Usd(100m), 1m, Usd(100m), D(2024, 2, 1), Usd(0m), Usd(0m), Usd(100m)));
        DonorDeposits[] equal = [new("Donor X", 300m, ["USD"]), new("Donor Y", 300m, ["USD"]), new("Donor Z", 300m, ["USD"])];

        var events = CloseFund.Decide(closed, statement, equal, [], null, new CloseFund(ClosureStage.Financial, D(2025, 6, 30))).Events;

        events.ShouldBe([
            new BalanceRefundedToDonor(FundId, "Donor X", Usd(33.33m), Usd(33.33m), 1m, Usd(300m), D(2025, 6, 30)),
            new BalanceRefundedToDonor(FundId, "Donor Y", Usd(33.33m), Usd(33.33m), 1m, Usd(300m), D(2025, 6, 30)),
            new BalanceRefundedToDonor(FundId, "Donor Z", Usd(33.34m), Usd(33.34m), 1m, Usd(300m), D(2025, 6, 30)),
            new FundFinanciallyClosed(FundId, D(2025, 6, 30)),
        ]);
    }

    [Fact]
    public void a_donor_who_asks_has_their_share_moved_to_another_open_fund()
    {
        var closed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)));
        var statement = Statement(
            new Funding.Contributions.DepositReceived(Guid.NewGuid(), "X", FundId, "X", Usd(90m), 1m, Usd(90m), D(2024, 2, 1), Usd(0m), Usd(0m), Usd(90m)));
        var other = Funding.Funds.Fund.Fold(null, new FundEstablished(Guid.NewGuid(), "OTHER-TF", "Other", FundKind.TrustFund, 0m, 0m, [], D(2024, 1, 1)));
        DonorDeposits[] donors = [new("Donor X", 600m, ["USD"]), new("Donor Y", 300m, ["EUR"])];
        var command = new CloseFund(ClosureStage.Financial, D(2025, 6, 30), [new BalanceInstruction("Donor Y", other.Id)]);

        CloseFund.Decide(closed, statement, donors, [other], null, command).Events.ShouldBe([
            new BalanceRefundedToDonor(FundId, "Donor X", Usd(60m), Usd(60m), 1m, Usd(600m), D(2025, 6, 30)),
            new BalanceMovedToFund(FundId, "Donor Y", other.Id, "OTHER-TF", Usd(30m), D(2025, 6, 30)),
            new BalanceReceivedFromFund(other.Id, "Donor Y", FundId, "TEST-FUND", Usd(30m), D(2025, 6, 30)),
            new FundFinanciallyClosed(FundId, D(2025, 6, 30)),
        ]);
        // Donor X paid in USD; Donor Y's share would need a EUR rate had it not moved.
        CloseFund.Decide(closed, statement, donors, [other], null, new CloseFund(ClosureStage.Financial, D(2025, 6, 30))).Rejection!.Rule.ShouldBe("no-rate-in-force");
    }
}
