using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Statements;
using Funding.Statements.Periods;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Statements;

/// <summary>
/// The period view from a fund's events alone, no database: a NOK agreement signed in February and paid in March at
/// a worse rate (an exchange loss, the fee), interest in February, March and on April 1, one March interest recorded
/// only in July, and another fund's interest that is none of this fund's business.
/// </summary>
public class PeriodReportTests
{
    static readonly Guid OtherFund = Guid.Parse("44444444-4444-4444-4444-444444444444");
    static readonly Instant Recorded = Instant.FromUtc(2025, 6, 1, 0, 0);

    static LoggedEvent Logged(long sequence, Guid stream, object data, Instant? recordedAt = null) =>
        new(sequence, stream, sequence, data, BusinessDates.Of(data), recordedAt ?? Recorded.Plus(Duration.FromMinutes(sequence)));

    static readonly LoggedEvent[] Log =
    [
        Logged(1, FundId, Established()),
        Logged(2, ContributionId, new AgreementSigned(ContributionId, "NOR-1", FundId, "Norway", new Money(15_000_000m, "NOK"), 10m, Usd(1_500_000m), D(2025, 2, 10), [], null)),
        Logged(3, FundId, new InterestEarned(FundId, Usd(1_000m), D(2025, 2, 28))),
        Logged(4, ContributionId, new DepositReceived(ContributionId, "NOR-1", FundId, "Norway", new Money(15_000_000m, "NOK"), 10.5m, Usd(1_428_571.43m),
            D(2025, 3, 5), Usd(1_500_000m), Usd(-71_428.57m), Usd(0m))),
        Logged(5, FundId, new AdministrativeAgentFeeCharged(FundId, ContributionId, Usd(1_428_571.43m), 1m, Usd(14_285.71m), D(2025, 3, 5))),
        Logged(6, FundId, new InterestEarned(FundId, Usd(2_500.50m), D(2025, 3, 31))),
        Logged(7, FundId, new InterestEarned(FundId, Usd(999.99m), D(2025, 4, 1))),
        Logged(8, OtherFund, new InterestEarned(OtherFund, Usd(7_777m), D(2025, 3, 10))),
        // Dated in March, recorded in July.
        Logged(9, FundId, new InterestEarned(FundId, Usd(100m), D(2025, 3, 20)), Instant.FromUtc(2025, 7, 15, 9, 0)),
    ];

    static readonly LocalDate Today = D(2025, 8, 1);
    static ReportPeriod March => ReportPeriod.Month(2025, 3);

    [Theory]
    [InlineData("2025-03", "2025-03-01", "2025-03-31", "2025-02-28", false)]
    [InlineData("2024-02", "2024-02-01", "2024-02-29", "2024-01-31", false)]
    [InlineData("2025-12", "2025-12-01", "2025-12-31", "2025-11-30", false)]
    [InlineData("2025", "2025-01-01", "2025-12-31", "2024-12-31", true)]
    [InlineData("9999-12", "9999-12-01", "9999-12-31", "9999-11-30", false)]
    public void a_month_or_a_year_reads_with_its_first_and_last_day_and_the_day_its_opening_is_as_at(
        string text, string from, string to, string openingAsAt, bool isYear)
    {
        ReportPeriod.TryParse(text, out var period).ShouldBeTrue();
        (period.Name, $"{period.From:uuuu-MM-dd}", $"{period.To:uuuu-MM-dd}", $"{period.OpeningAsAt:uuuu-MM-dd}", period.IsYear)
            .ShouldBe((text, from, to, openingAsAt, isYear));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2025-3")]
    [InlineData("2025-13")]
    [InlineData("2025-00")]
    [InlineData("25-03")]
    [InlineData("2025/03")]
    [InlineData("2025-03-01")]
    [InlineData(" 2025")]
    [InlineData("+202")]
    [InlineData("-2025")]
    [InlineData("0000")]
    [InlineData("2025-+3")]
    [InlineData("２０２５")]
    [InlineData("March 2025")]
    public void anything_but_yyyy_or_yyyy_MM_is_not_a_period(string? text) => ReportPeriod.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void a_period_is_over_only_once_its_last_day_has_passed()
    {
        (March.IsOverOn(D(2025, 3, 30)), March.IsOverOn(D(2025, 3, 31)), March.IsOverOn(D(2025, 4, 1))).ShouldBe((false, false, true));
        ReportedPeriod.Of(ReportPeriod.Year(2025), D(2025, 7, 1), D(2025, 8, 1))
            .ShouldBe(new ReportedPeriod("2025", D(2025, 1, 1), D(2025, 12, 31), D(2024, 12, 31), D(2025, 7, 1), false));
    }

    [Fact]
    public void the_fund_statement_over_march_opens_at_february_end_moves_by_march_and_closes_at_march_end()
    {
        var report = FundStatementPeriodReport.FromLog(FundId, March, null, Today, Log)!;

        (report.FundId, report.Code, report.Name, report.Period)
            .ShouldBe((FundId, "TEST-FUND", "Test fund", new ReportedPeriod("2025-03", D(2025, 3, 1), D(2025, 3, 31), D(2025, 2, 28), null, true)));
        report.Lines.ShouldBe([
            new("Contributions", 0m, 1_428_571.43m, 1_428_571.43m),
            new("Interest", 1_000m, 2_600.50m, 3_600.50m),
            new("Other income", 0m, 0m, 0m),
            new("Appropriations lapsed", 0m, 0m, 0m),
            new("Balances received from other funds", 0m, 0m, 0m),
            new("Total sources", 1_000m, 1_431_171.93m, 1_432_171.93m),
            new("Transferred to implementing organisations", 0m, 0m, 0m),
            new("Refunds", 0m, 0m, 0m),
            new("Net funded amount", 0m, 0m, 0m),
            new("Administrative agent fees", 0m, 14_285.71m, 14_285.71m),
            new("Refunds to donors", 0m, 0m, 0m),
            new("Balances moved to other funds", 0m, 0m, 0m),
            new("Total uses", 0m, 14_285.71m, 14_285.71m),
            new("Balance with administrative agent", 1_000m, 1_416_886.22m, 1_417_886.22m),
            new("Expenditure", 0m, 0m, 0m),
            new("Balance with implementing organisations", 0m, 0m, 0m),
            new("Total balance", 1_000m, 1_416_886.22m, 1_417_886.22m),
            new("Allocated, not yet transferred", 0m, 0m, 0m),
            new("Receivables outstanding", 1_500_000m, -1_500_000m, 0m),
            new("Outstanding pledges (indicative)", 0m, 0m, 0m),
            new("Realised exchange gains and losses", 0m, -71_428.57m, -71_428.57m),
            new("Unrealised exchange gains and losses", 0m, 0m, 0m),
        ]);
    }

    [Fact]
    public void as_known_on_a_day_the_period_leaves_out_what_was_recorded_later_even_if_dated_in_it()
    {
        var report = FundStatementPeriodReport.FromLog(FundId, March, D(2025, 6, 30), Today, Log)!;

        report.Period.KnownOn.ShouldBe(D(2025, 6, 30));
        report.Lines.Single(x => x.Line == "Interest").ShouldBe(new FundStatementPeriodLine("Interest", 1_000m, 2_500.50m, 3_500.50m));
        var cash = TrialBalancePeriodReport.FromLog(FundId, March, D(2025, 6, 30), Today, Log).Lines.Single(x => x.Account == Account.Cash);
        cash.ShouldBe(new TrialBalancePeriodLine(1000, Account.Cash, 1_000m, 0m, 1_431_071.93m, 14_285.71m, 1_417_786.22m, 0m));
    }

    [Fact]
    public void the_statement_of_each_period_is_the_statement_as_at_its_two_dates_and_one_month_closes_where_the_next_opens()
    {
        FundStatementReport AsAt(LocalDate day) =>
            FundStatementReport.From(LedgerReplay.Of(Log, new ReportCut(day, null), ReplayedModels.FundStatements).FundStatements[FundId]);

        var months = Enumerable.Range(1, 12).Select(m => FundStatementPeriodReport.FromLog(FundId, ReportPeriod.Month(2025, m), null, Today, Log)!).ToList();
        foreach (var month in months)
        {
            month.Lines.ShouldBe(FundStatementReport.Lines(AsAt(month.Period.To))
                .Zip(FundStatementReport.Lines(AsAt(month.Period.OpeningAsAt)), (closing, opening) => new FundStatementPeriodLine(closing.Line, opening.Usd, closing.Usd - opening.Usd, closing.Usd)));
        }

        months.Zip(months.Skip(1)).ShouldAllBe(x => x.First.Lines.Select(l => l.Closing).SequenceEqual(x.Second.Lines.Select(l => l.Opening)));
        var year = FundStatementPeriodReport.FromLog(FundId, ReportPeriod.Year(2025), null, Today, Log)!;
        year.Lines.Select(x => x.Movement).ShouldBe(months.Select(m => m.Lines.Select(x => x.Movement)).Aggregate((a, b) => a.Zip(b, (x, y) => x + y)));
        year.Period.Over.ShouldBeFalse();
    }

    [Fact]
    public void a_fund_established_in_the_period_opens_at_zero_and_one_established_after_it_has_no_statement_for_it()
    {
        var log = new[]
        {
            Logged(1, FundId, Established() with { EstablishedOn = D(2025, 3, 15) }),
            Logged(2, FundId, new InterestEarned(FundId, Usd(50m), D(2025, 3, 31))),
        };

        var march = FundStatementPeriodReport.FromLog(FundId, March, null, Today, log)!;
        march.Lines.Where(x => x.Opening != 0m || x.Movement != 0m).ShouldBe([
            new("Interest", 0m, 50m, 50m), new("Total sources", 0m, 50m, 50m),
            new("Balance with administrative agent", 0m, 50m, 50m), new("Total balance", 0m, 50m, 50m),
        ]);
        FundStatementPeriodReport.FromLog(FundId, ReportPeriod.Month(2025, 2), null, Today, log).ShouldBeNull();
    }

    [Fact]
    public void the_trial_balance_over_march_has_each_accounts_opening_its_debits_and_credits_of_the_month_and_its_closing()
    {
        var report = TrialBalancePeriodReport.FromLog(FundId, March, null, Today, Log);

        report.ShouldBe(new TrialBalancePeriodReport(FundId, new ReportedPeriod("2025-03", D(2025, 3, 1), D(2025, 3, 31), D(2025, 2, 28), null, true),
            report.Lines, 1_501_000m, 1_501_000m, 1_516_886.21m, 1_516_886.21m, 1_503_600.50m, 1_503_600.50m, true));
        report.Lines.ShouldBe([
            // Cash in (the deposit, two interests) and out (the fee) in the same month: both sides shown, not their net.
            new(1000, Account.Cash, 1_000m, 0m, 1_431_171.93m, 14_285.71m, 1_417_886.22m, 0m),
            // Settled: the account is shown, closing at nothing.
            new(1100, Account.ReceivablesFromDonors, 1_500_000m, 0m, 0m, 1_500_000m, 0m, 0m),
            // No movement: shown for its balance.
            new(4000, Account.ContributionRevenue, 0m, 1_500_000m, 0m, 0m, 0m, 1_500_000m),
            new(4100, Account.Interest, 0m, 1_000m, 0m, 2_600.50m, 0m, 3_600.50m),
            // The exchange loss was posted as a credit of a negative amount: it is a debit.
            new(4300, Account.ExchangeGainsAndLosses, 0m, 0m, 71_428.57m, 0m, 71_428.57m, 0m),
            new(5100, Account.AdministrativeAgentFees, 0m, 0m, 14_285.71m, 0m, 14_285.71m, 0m),
        ]);
    }

    [Fact]
    public void every_account_joins_up_over_every_month_and_the_year_and_matches_the_trial_balance_as_at_the_last_day()
    {
        foreach (var period in Enumerable.Range(1, 12).Select(m => ReportPeriod.Month(2025, m)).Append(ReportPeriod.Year(2025)).Append(ReportPeriod.Year(2024)))
        {
            var report = TrialBalancePeriodReport.FromLog(FundId, period, null, Today, Log);
            var closing = TrialBalanceReport.From(FundId, LedgerReplay.Of(Log, new ReportCut(period.To, null), ReplayedModels.TrialBalances).TrialBalances.GetValueOrDefault(FundId));

            report.Balanced.ShouldBeTrue(period.Name);
            report.Lines.ShouldAllBe(x => x.OpeningDebit - x.OpeningCredit + x.Debits - x.Credits == x.ClosingDebit - x.ClosingCredit);
            report.Lines.Where(x => x.ClosingDebit != 0m || x.ClosingCredit != 0m).Select(x => new TrialBalanceLine(x.Code, x.Account, x.ClosingDebit, x.ClosingCredit))
                .ShouldBe(closing.Lines, period.Name);
        }

        TrialBalancePeriodReport.FromLog(FundId, ReportPeriod.Month(2025, 4), null, Today, Log).Lines
            .Select(x => (x.Account, x.Debits, x.Credits)).ShouldBe([
                (Account.Cash, 999.99m, 0m), (Account.ContributionRevenue, 0m, 0m), (Account.Interest, 0m, 999.99m),
                (Account.ExchangeGainsAndLosses, 0m, 0m), (Account.AdministrativeAgentFees, 0m, 0m),
            ]);
    }

    [Fact]
    public void postings_that_do_not_join_the_opening_to_the_closing_are_refused_rather_than_shown()
    {
        var opening = new TrialBalance { Id = FundId, Balances = new() { [Account.Cash] = 100m, [Account.Interest] = -100m } };
        var closing = new TrialBalance { Id = FundId, Balances = new() { [Account.Cash] = 150m, [Account.Interest] = -150m } };
        var period = ReportedPeriod.Of(March, null, Today);

        TrialBalancePeriodReport.Of(FundId, period, opening, [new InterestEarned(FundId, Usd(50m), D(2025, 3, 3))], closing).Balanced.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => TrialBalancePeriodReport.Of(FundId, period, opening, [], closing))
            .Message.ShouldBe("Account 1000 Cash does not join up over 2025-03: opening 100 + debits 0 − credits 0 is not the closing 150.");
    }
}
