using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.PackageFinance;
using Funding.Packages;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Ledger;

public class PostingsTests
{
    public static TheoryData<object> MoneyEvents() => new()
    {
        new AgreementSigned(ContributionId, "R", FundId, "Donor", new Money(3_000_000m, "EUR"), 0.92m, Usd(3_260_869.57m), D(2024, 3, 5), [], null),
        new AgreementReduced(ContributionId, FundId, new Money(1_000m, "EUR"), Usd(1_086.96m), "letter", D(2024, 3, 6)),
        new DepositReceived(ContributionId, "R", FundId, "Donor", new Money(3_000_000m, "EUR"), 0.935m, Usd(3_208_556.15m), D(2024, 4, 10),
            Usd(3_260_869.57m), Usd(-52_313.42m), Usd(0m)),
        new DepositReceived(ContributionId, "R", FundId, "Donor", Usd(500m), 1m, Usd(500m), D(2024, 4, 10), Usd(0m), Usd(0m), Usd(500m)),
        new AdministrativeAgentFeeCharged(FundId, ContributionId, Usd(3_208_556.15m), 1m, Usd(32_085.56m), D(2024, 4, 10)),
        new InterestEarned(FundId, Usd(12_000m), D(2024, 6, 30)),
        new RegularBudgetAppropriated(FundId, 2024, Usd(900_000m), "A/RES/78/253", D(2024, 1, 2)),
        new FundsAllocated(FundId, PackageId, ElectoralPhase.Polling, Usd(2_140_000m), D(2024, 7, 1)),
        new FundsTransferred(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(2_000_000m), 7m, Usd(140_000m), Usd(2_140_000m),
            Usd(2_000_000m), Usd(140_000m), D(2024, 7, 15)),
        new ExpenditureReported(FundId, PackageId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Interim, Usd(1_284_000m), Usd(1_284_000m), D(2024, 12, 31)),
        new ExpenditureReported(FundId, PackageId, ElectoralPhase.Polling, "UNDP", ExpenditureBasis.Certified, Usd(1_200_000m), Usd(-84_000m), D(2025, 3, 31)),
        new RefundReceived(FundId, PackageId, ElectoralPhase.Polling, "UNDP", Usd(10_000m), D(2025, 4, 1)),
    };

    [Theory]
    [MemberData(nameof(MoneyEvents))]
    public void every_money_event_posts_balanced_lines(object moneyEvent)
    {
        var lines = Postings.For(moneyEvent);

        lines.ShouldNotBeEmpty();
        lines.Sum(x => x.Amount).ShouldBe(0m);
    }

    [Fact]
    public void a_deposit_settles_the_receivable_at_its_booked_value_and_books_the_difference()
    {
        var deposit = new DepositReceived(ContributionId, "R", FundId, "Donor", new Money(15_000_000m, "NOK"), 10m, Usd(1_500_000m),
            D(2024, 9, 3), Usd(1_428_571.43m), Usd(71_428.57m), Usd(0m));

        Postings.For(deposit).ShouldBe([
            new PostingLine(Account.Cash, 1_500_000m),
            new PostingLine(Account.ReceivablesFromDonors, -1_428_571.43m),
            new PostingLine(Account.ExchangeGainsAndLosses, -71_428.57m),
        ]);
    }

    [Fact]
    public void pledges_and_decisions_post_nothing()
    {
        Postings.For(new PledgeRecorded(ContributionId, "R", FundId, "Donor", new Money(20_000_000m, "NOK"), 10.5m, Usd(1_904_761.90m), D(2024, 5, 2), null))
            .ShouldBeEmpty();
        Postings.For(Approved()).ShouldBeEmpty();
    }

    [Fact]
    public void the_ledger_refuses_to_post_a_foreign_currency_amount()
    {
        Should.Throw<MoneyException>(() => PostingLine.Debit(Account.Cash, new Money(1m, "EUR")));
    }
}
