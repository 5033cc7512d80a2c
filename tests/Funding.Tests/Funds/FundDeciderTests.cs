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
        CloseFund.Decide(Fund(), Statement(), financially).Rejection!.Rule.ShouldBe("operational-closure-first");

        var closed = Fund(new FundOperationallyClosed(FundId, D(2025, 1, 1)));
        var allocated = new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(100m), D(2024, 5, 1));
        CloseFund.Decide(closed, Statement(allocated), financially).Rejection!.Rule.ShouldBe("balances-open");
        CloseFund.Decide(closed, Statement(), financially).Events.ShouldBe([new FundFinanciallyClosed(FundId, D(2025, 6, 30))]);
        CloseFund.Decide(closed, Statement(), new CloseFund(ClosureStage.Operational, D(2025, 2, 1))).Rejection!.Rule.ShouldBe("already-closed");
    }
}
