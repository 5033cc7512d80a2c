using Funding.Contributions;
using Funding.Contributions.Receiving;
using Funding.Contributions.Reducing;
using Funding.Contributions.Signing;
using Funding.Ledger;
using Funding.Rates;
using Funding.Statements.Ageing;
using NodaTime;
using static Funding.Tests.Infrastructure.Given;

namespace Funding.Tests.Statements;

/// <summary>The receivables ageing from contributions and the rates table alone, with no database.</summary>
public class ReceivablesAgeingTests
{
    static readonly Dictionary<Guid, string> Funds = new() { [FundId] = "TEST-FUND" };

    /// <summary>EUR at 0.900 from January 2024, 0.925 from June.</summary>
    static readonly OperationalRates Rates = Table((D(2024, 1, 1), "EUR", 0.900m), (D(2024, 6, 1), "EUR", 0.925m));

    static OperationalRates Table(params (LocalDate EffectiveOn, string Currency, decimal Rate)[] revisions) => revisions
        .Select(x => new OperationalRatesPublished(x.EffectiveOn, RevisionKind.Monthly, $"UNORE {x.EffectiveOn:uuuu-MM}", [new QuotedRate(x.Currency, x.Rate)], "test"))
        .Aggregate((OperationalRates?)null, OperationalRates.Fold)!;

    /// <summary>An agreement signed through its decider at the given rate; with no instalments, due on signature.</summary>
    static Contribution Agreement(string reference, string donor, decimal amount, string currency, decimal rate, LocalDate signedOn,
        params (LocalDate DueOn, decimal Amount)[] instalments) =>
        Fold(null, SignAgreement.Decide(null, Fund(), null, new SignAgreement(reference, FundId, donor, new MoneyInput(amount, currency), rate, signedOn,
            instalments.Select(x => new InstalmentInput(x.DueOn, new MoneyInput(x.Amount, currency))).ToList(), null)));

    static Contribution Deposit(Contribution contribution, decimal amount, decimal rate, LocalDate valueDate) =>
        Fold(contribution, RecordDeposit.Decide(contribution, Fund(), null, null,
            new RecordDeposit(contribution.Reference, FundId, contribution.Donor, new MoneyInput(amount, contribution.Currency), rate, valueDate, null,
                $"BANK-{contribution.Reference}-{valueDate:yyyyMMdd}")));

    /// <summary>A reduction asked for by one finance officer and confirmed by another.</summary>
    static Contribution Reduce(Contribution contribution, decimal amount, LocalDate reducedOn)
    {
        var asked = Fold(contribution, ReduceAgreement.Decide(contribution, new ReduceAgreement(new MoneyInput(amount, contribution.Currency), "Agreement amended", reducedOn), "fin-a"));
        return Fold(asked, ConfirmAgreementReduction.Decide(asked, new ConfirmAgreementReduction(), "fin-b"));
    }

    /// <summary>The contribution's own events of the decision (a deposit's fee goes to the fund's stream).</summary>
    static Contribution Fold(Contribution? contribution, Decision decision)
    {
        decision.Rejection.ShouldBeNull();
        return decision.Events.OfType<ILedgerEvent<Contribution>>().Aggregate(contribution, (c, e) => Funding.Contributions.Contribution.Fold(c, e))!;
    }

    /// <summary>EUR 1,000,000 signed on 2024-01-10 at 0.900 (USD 1,111,111.11), due in three instalments; EUR 450,000 paid on 2024-02-15.</summary>
    static Contribution PartlyPaid() => Deposit(
        Agreement("EU-1", "European Union", 1_000_000m, "EUR", 0.900m, D(2024, 1, 10),
            (D(2024, 1, 31), 300_000m), (D(2024, 4, 30), 300_000m), (D(2024, 9, 30), 400_000m)),
        450_000m, 0.900m, D(2024, 2, 15));

    /// <summary>Lists as the report builds them, so that equivalence compares their items.</summary>
    static List<T> List<T>(params T[] items) => [.. items];

    static AgeingBuckets Buckets(decimal notYetDue = 0m, decimal days0To30 = 0m, decimal days31To90 = 0m, decimal days91To180 = 0m, decimal over180 = 0m) =>
        new(notYetDue, days0To30, days31To90, days91To180, over180);

    [Theory]
    [InlineData(-1, "not yet due")]
    [InlineData(0, "0-30")]
    [InlineData(30, "0-30")]
    [InlineData(31, "31-90")]
    [InlineData(90, "31-90")]
    [InlineData(91, "91-180")]
    [InlineData(180, "91-180")]
    [InlineData(181, "over 180")]
    [InlineData(4000, "over 180")]
    public void an_instalment_falls_in_the_bucket_of_its_days_past_due(int daysPastDue, string bucket)
    {
        var asAt = D(2024, 6, 30);
        var buckets = AgeingBuckets.Zero.Adding(100m, asAt.PlusDays(-daysPastDue), asAt);

        buckets.ShouldBe(bucket switch
        {
            "not yet due" => Buckets(notYetDue: 100m),
            "0-30" => Buckets(days0To30: 100m),
            "31-90" => Buckets(days31To90: 100m),
            "91-180" => Buckets(days91To180: 100m),
            _ => Buckets(over180: 100m),
        });
        buckets.PastDue.ShouldBe(daysPastDue < 0 ? 0m : 100m);
    }

    [Fact]
    public void a_partly_paid_agreement_ages_its_unpaid_instalments_in_its_currency_and_in_usd_at_the_rate_in_force()
    {
        var contribution = PartlyPaid();
        // The deposit paid the first instalment and EUR 150,000 of the second; the receivable is carried at USD 611,111.11.
        contribution.ReceivableUsd.ShouldBe(611_111.11m);

        AgeingLine Expected(AgeingBuckets amounts, LocalDate? oldest, int? days, decimal rate, LocalDate effectiveOn, AgeingBuckets usd) =>
            new("European Union", FundId, "TEST-FUND", "EU-1", ContributionIds.For("EU-1"), "EUR", amounts, oldest, days, rate, effectiveOn, usd, 611_111.11m, null);

        // Before the second instalment falls due nothing is past due; the rate is January's.
        ReceivablesAgeing.Line(contribution, Rates, D(2024, 3, 31), "TEST-FUND").ShouldBe(
            Expected(Buckets(notYetDue: 550_000m), null, null, 0.900m, D(2024, 1, 1), Buckets(notYetDue: 611_111.11m)));

        // 2024-04-30 is 61 days before 2024-06-30; 150,000 / 0.925 = 162,162.162... and 400,000 / 0.925 = 432,432.432...
        ReceivablesAgeing.Line(contribution, Rates, D(2024, 6, 30), "TEST-FUND").ShouldBe(
            Expected(Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 61, 0.925m, D(2024, 6, 1),
                Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m)));

        // At the year's end the second instalment is 245 days past due, the third 92.
        var yearEnd = ReceivablesAgeing.Line(contribution, Rates, D(2024, 12, 31), "TEST-FUND");
        yearEnd.ShouldBe(Expected(Buckets(days91To180: 400_000m, over180: 150_000m), D(2024, 4, 30), 245, 0.925m, D(2024, 6, 1),
            Buckets(days91To180: 432_432.43m, over180: 162_162.16m)));
        yearEnd!.Usd!.PastDue.ShouldBe(594_594.59m);
    }

    [Fact]
    public void a_reduction_comes_off_the_latest_instalments()
    {
        var contribution = Reduce(
            Agreement("EU-2", "European Union", 1_000_000m, "EUR", 0.900m, D(2024, 1, 10),
                (D(2024, 1, 31), 300_000m), (D(2024, 4, 30), 300_000m), (D(2024, 9, 30), 400_000m)),
            250_000m, D(2024, 5, 1));

        // 2024-01-31 is 151 days before 2024-06-30, 2024-04-30 61 days; 300,000 / 0.925 = 324,324.324...
        ReceivablesAgeing.Line(contribution, Rates, D(2024, 6, 30), "TEST-FUND").ShouldBe(new AgeingLine(
            "European Union", FundId, "TEST-FUND", "EU-2", ContributionIds.For("EU-2"), "EUR",
            Buckets(notYetDue: 150_000m, days31To90: 300_000m, days91To180: 300_000m), D(2024, 1, 31), 151, 0.925m, D(2024, 6, 1),
            Buckets(notYetDue: 162_162.16m, days31To90: 324_324.32m, days91To180: 324_324.32m), 833_333.33m, null));
    }

    [Fact]
    public void each_bucket_is_rounded_to_the_cent_and_the_past_due_total_adds_the_rounded_buckets()
    {
        var rates = Table((D(2024, 1, 1), "EUR", 0.8m));
        var contribution = Agreement("EU-R", "European Union", 2_000.02m, "EUR", 0.8m, D(2024, 1, 1), (D(2024, 1, 1), 1_000.01m), (D(2024, 3, 1), 1_000.01m));

        var line = ReceivablesAgeing.Line(contribution, rates, D(2024, 6, 30), "TEST-FUND")!;

        // 1,000.01 / 0.8 = 1,250.0125 in each bucket; the whole 2,000.02 / 0.8 would be 2,500.025, rounded 2,500.03.
        line.Usd.ShouldBe(Buckets(days91To180: 1_250.01m, over180: 1_250.01m));
        line.Usd!.PastDue.ShouldBe(2_500.02m);
        // The books carry the receivable as signed, 2,500.03.
        line.CarryingUsd.ShouldBe(2_500.03m);
    }

    [Fact]
    public void the_report_has_lines_by_donor_fund_and_reference_subtotals_and_totals_and_keeps_money_with_no_rate_apart()
    {
        var unitedStates = Agreement("US-1", "United States", 250_000m, "USD", 1m, D(2024, 3, 1));
        var norway = Agreement("NO-1", "Norway", 1_000_000m, "NOK", 10m, D(2024, 2, 1));
        var paidUp = Deposit(Agreement("SE-1", "Sweden", 100_000m, "USD", 1m, D(2024, 1, 15)), 100_000m, 1m, D(2024, 2, 1));

        var report = ReceivablesAgeing.Of([unitedStates, norway, PartlyPaid(), paidUp], Rates, D(2024, 6, 30), D(2024, 7, 1), Funds);

        // An agreement signed without a schedule is due on signature: 2024-03-01 is 121 days before 2024-06-30, 2024-02-01 150.
        var noRate = "No UN operational rate for NOK is in force on 2024-06-30: no USD figure is given.";
        report.ShouldBeEquivalentTo(new ReceivablesAgeingReport(D(2024, 6, 30), D(2024, 7, 1),
        List(
            new AgeingLine("European Union", FundId, "TEST-FUND", "EU-1", ContributionIds.For("EU-1"), "EUR",
                Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 61, 0.925m, D(2024, 6, 1),
                Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m), 611_111.11m, null),
            new AgeingLine("Norway", FundId, "TEST-FUND", "NO-1", ContributionIds.For("NO-1"), "NOK",
                Buckets(days91To180: 1_000_000m), D(2024, 2, 1), 150, null, null, null, 100_000m, noRate),
            new AgeingLine("United States", FundId, "TEST-FUND", "US-1", ContributionIds.For("US-1"), "USD",
                Buckets(days91To180: 250_000m), D(2024, 3, 1), 121, 1m, null, Buckets(days91To180: 250_000m), 250_000m, null)),
        List(
            new AgeingSubtotal("European Union", FundId, "TEST-FUND", Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m), 611_111.11m, List<CurrencyAgeing>()),
            new AgeingSubtotal("Norway", FundId, "TEST-FUND", AgeingBuckets.Zero, 100_000m, List(new CurrencyAgeing("NOK", Buckets(days91To180: 1_000_000m)))),
            new AgeingSubtotal("United States", FundId, "TEST-FUND", Buckets(days91To180: 250_000m), 250_000m, List<CurrencyAgeing>())),
        new AgeingTotals(Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m, days91To180: 250_000m), 961_111.11m,
            List(new CurrencyAgeing("NOK", Buckets(days91To180: 1_000_000m))))));
        report.Totals.Usd.PastDue.ShouldBe(412_162.16m);
    }

    [Fact]
    public void usd_needs_no_rate_and_another_currency_takes_the_rate_in_force_on_the_as_at_date()
    {
        var dollars = Agreement("US-2", "United States", 1_000m, "USD", 1m, D(2024, 3, 1));
        ReceivablesAgeing.Line(dollars, null, D(2024, 3, 1), "TEST-FUND")!.Usd.ShouldBe(Buckets(days0To30: 1_000m));

        // A mid-month revision takes effect on its own day.
        var euros = Agreement("EU-3", "European Union", 1_000m, "EUR", 0.9m, D(2024, 1, 15), (D(2024, 3, 1), 1_000m));
        var rates = Table((D(2024, 1, 1), "EUR", 0.900m), (D(2024, 3, 1), "EUR", 0.800m));
        ReceivablesAgeing.Line(euros, rates, D(2024, 2, 29), "TEST-FUND")!.Usd.ShouldBe(Buckets(notYetDue: 1_111.11m));
        ReceivablesAgeing.Line(euros, rates, D(2024, 3, 1), "TEST-FUND")!.Usd.ShouldBe(Buckets(days0To30: 1_250m));
    }
}
