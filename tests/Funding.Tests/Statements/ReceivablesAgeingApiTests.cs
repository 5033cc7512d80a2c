using Alba;
using Funding.Audit;
using Funding.Contributions;
using Funding.Statements;
using Funding.Statements.Ageing;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Statements;

/// <summary>
/// The receivables ageing over HTTP, on a ledger recorded through the API with the service's clock moved along:
/// the European Union signs for EUR 1,000,000 in three instalments and pays EUR 450,000; Norway signs for
/// NOK 1,000,000 at a rate of its own (no NOK rate is ever loaded); the United States signs for USD 250,000 and pays
/// 100,000, recorded on 2024-07-10 with a value date of 2024-06-20. EUR is at 0.900 from January, 0.925 from June
/// (loaded on 2024-06-02). Today is 2024-07-10.
/// </summary>
public class ReceivablesAgeingApiTests(ReceivablesAgeingApiTests.AgeingLedger app) : IClassFixture<ReceivablesAgeingApiTests.AgeingLedger>
{
    public sealed class AgeingLedger : FundingApp
    {
        public Funding.Tests.Audit.MovableClock Clock { get; } = new();
        public Guid TrustFund { get; private set; }
        public Guid BasketFund { get; private set; }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        void ClockAt(int month, int day) => Clock.Now = new DateTimeOffset(2024, month, day, 9, 0, 0, TimeSpan.Zero);

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var api = new LedgerApi(Host);
            async Task<Guid> Fund(string code) => (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
            {
                code, name = $"{code} fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
            }, 201)).FundId;
            Task Rate(string effectiveOn, decimal unitsPerUsd) => api.Post<object>("/api/rates", new
            {
                effectiveOn, kind = "Monthly", reference = $"UNORE {effectiveOn}", rates = new[] { new { currency = "EUR", unitsPerUsd } },
            });

            ClockAt(1, 5);
            TrustFund = await Fund("AGE-TF");
            BasketFund = await Fund("AGE-BF");
            await Rate("2024-01-01", 0.900m);

            ClockAt(1, 10);
            await api.Record("/api/contributions/agreements", new
            {
                reference = "EU-1", fundId = TrustFund, donor = "European Union", amount = Money(1_000_000m, "EUR"), signedOn = "2024-01-10",
                instalments = new[]
                {
                    new { dueOn = "2024-01-31", amount = Money(300_000m, "EUR") }, new { dueOn = "2024-04-30", amount = Money(300_000m, "EUR") },
                    new { dueOn = "2024-09-30", amount = Money(400_000m, "EUR") },
                },
            }, 201);
            await api.Record("/api/contributions/agreements", new
            {
                reference = "NO-1", fundId = BasketFund, donor = "Norway", amount = Money(1_000_000m, "NOK"), signedOn = "2024-01-10",
                rate = 10m, rateOverrideReason = "The rate fixed in the agreement",
            }, 201);

            ClockAt(2, 15);
            await api.Record("/api/contributions/deposits", new
            {
                reference = "EU-1", fundId = TrustFund, donor = "European Union", amount = Money(450_000m, "EUR"), valueDate = "2024-02-15", transactionReference = "EUR-20240215-1",
            }, 201);

            ClockAt(3, 1);
            await api.Record("/api/contributions/agreements", new
            {
                reference = "US-1", fundId = TrustFund, donor = "United States", amount = Usd(250_000m), signedOn = "2024-03-01",
            }, 201);

            ClockAt(6, 2);
            await Rate("2024-06-01", 0.925m);

            ClockAt(7, 10);
            await api.Record("/api/contributions/deposits", new
            {
                reference = "US-1", fundId = TrustFund, donor = "United States", amount = Usd(100_000m), valueDate = "2024-06-20", transactionReference = "USD-20240620-1",
            }, 201);
        }
    }

    readonly LedgerApi api = new(app.Host);

    static LocalDate D(int year, int month, int day) => new(year, month, day);

    static List<T> List<T>(params T[] items) => [.. items];

    static AgeingBuckets Buckets(decimal notYetDue = 0m, decimal days0To30 = 0m, decimal days31To90 = 0m, decimal days91To180 = 0m, decimal over180 = 0m) =>
        new(notYetDue, days0To30, days31To90, days91To180, over180);

    static string NoNokRate(string asAt) => $"No UN operational rate for NOK is in force on {asAt}: no USD figure is given.";

    AgeingLine European(AgeingBuckets amounts, LocalDate? oldest, int? days, decimal rate, LocalDate effectiveOn, AgeingBuckets usd) =>
        new("European Union", app.TrustFund, "AGE-TF", "EU-1", ContributionIds.For("EU-1"), "EUR", amounts, oldest, days, rate, effectiveOn, usd, 611_111.11m, null);

    AgeingLine Norwegian(AgeingBuckets amounts, int days, string asAt) =>
        new("Norway", app.BasketFund, "AGE-BF", "NO-1", ContributionIds.For("NO-1"), "NOK", amounts, D(2024, 1, 10), days, null, null, null, 100_000m, NoNokRate(asAt));

    AgeingLine American(AgeingBuckets amounts, int days) =>
        new("United States", app.TrustFund, "AGE-TF", "US-1", ContributionIds.For("US-1"), "USD", amounts, D(2024, 3, 1), days, 1m, null, amounts, amounts.NotYetDue + amounts.PastDue, null);

    /// <summary>The whole answer: lines, then the subtotals and totals they give.</summary>
    ReceivablesAgeingReport Expected(LocalDate asAt, LocalDate? knownOn, AgeingLine european, AgeingLine norwegian, AgeingLine american)
    {
        var notConverted = List(new CurrencyAgeing("NOK", norwegian.Amounts));
        return new ReceivablesAgeingReport(asAt, knownOn, List(european, norwegian, american),
            List(
                new AgeingSubtotal("European Union", app.TrustFund, "AGE-TF", european.Usd!, european.CarryingUsd, List<CurrencyAgeing>()),
                new AgeingSubtotal("Norway", app.BasketFund, "AGE-BF", AgeingBuckets.Zero, norwegian.CarryingUsd, notConverted),
                new AgeingSubtotal("United States", app.TrustFund, "AGE-TF", american.Usd!, american.CarryingUsd, List<CurrencyAgeing>())),
            new AgeingTotals(european.Usd!.Plus(american.Usd!), european.CarryingUsd + norwegian.CarryingUsd + american.CarryingUsd, notConverted));
    }

    [Fact]
    public async Task the_ageing_as_at_several_dates_buckets_what_is_due_and_not_received()
    {
        // As at 2024-03-31 the EU's second and third instalments are not yet due (its first was paid); EUR at 0.900.
        // The United States' agreement, due on signature, is 30 days past due: its payment is dated later.
        (await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-03-31")).ShouldBeEquivalentTo(Expected(D(2024, 3, 31), null,
            European(Buckets(notYetDue: 550_000m), null, null, 0.900m, D(2024, 1, 1), Buckets(notYetDue: 611_111.11m)),
            Norwegian(Buckets(days31To90: 1_000_000m), 81, "2024-03-31"),
            American(Buckets(days0To30: 250_000m), 30)));

        // As at 2024-06-30 EUR is at 0.925: 150,000 is 61 days past due (USD 162,162.16), 400,000 not yet due (432,432.43).
        var june = await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-06-30");
        june.ShouldBeEquivalentTo(Expected(D(2024, 6, 30), null,
            European(Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 61, 0.925m, D(2024, 6, 1),
                Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m)),
            Norwegian(Buckets(days91To180: 1_000_000m), 172, "2024-06-30"),
            American(Buckets(days91To180: 150_000m), 121)));
        (june.Totals.Usd.PastDue, june.Totals.CarryingUsd).ShouldBe((312_162.16m, 861_111.11m));

        // What the books carry ties to the fund statement's receivables, fund by fund.
        foreach (var fund in new[] { app.TrustFund, app.BasketFund })
        {
            var statement = await api.Get<FundStatementReport>($"/api/funds/{fund}/statement?asAt=2024-06-30");
            june.ByDonorAndFund.Where(x => x.FundId == fund).Sum(x => x.CarryingUsd).ShouldBe(statement.ReceivablesOutstanding);
        }

        // With no date it is as at today, 2024-07-10: Norway's agreement is now over 180 days past due.
        (await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing")).ShouldBeEquivalentTo(Expected(D(2024, 7, 10), null,
            European(Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 71, 0.925m, D(2024, 6, 1),
                Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m)),
            Norwegian(Buckets(over180: 1_000_000m), 182, "2024-07-10"),
            American(Buckets(days91To180: 150_000m), 131)));

        // Before anything was signed, nothing is owed.
        (await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-01-09")).ShouldBeEquivalentTo(new ReceivablesAgeingReport(
            D(2024, 1, 9), null, List<AgeingLine>(), List<AgeingSubtotal>(), new AgeingTotals(AgeingBuckets.Zero, 0m, List<CurrencyAgeing>())));
    }

    [Fact]
    public async Task as_known_on_a_day_it_shows_what_had_been_recorded_by_then_payments_and_rates_alike()
    {
        // The United States' payment, dated 2024-06-20, was recorded on 2024-07-10.
        (await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-06-30&knownOn=2024-07-01")).ShouldBeEquivalentTo(Expected(
            D(2024, 6, 30), D(2024, 7, 1),
            European(Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 61, 0.925m, D(2024, 6, 1),
                Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m)),
            Norwegian(Buckets(days91To180: 1_000_000m), 172, "2024-06-30"),
            American(Buckets(days91To180: 250_000m), 121)));

        // June's EUR rate, in force from 2024-06-01, was loaded on 2024-06-02: as known on 2024-06-01, January's is in force.
        var known = await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-06-15&knownOn=2024-06-01");
        known.Lines[0].ShouldBe(European(Buckets(notYetDue: 400_000m, days31To90: 150_000m), D(2024, 4, 30), 46, 0.900m, D(2024, 1, 1),
            Buckets(notYetDue: 444_444.44m, days31To90: 166_666.67m)));
        var now = await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2024-06-15");
        now.Lines[0].Usd.ShouldBe(Buckets(notYetDue: 432_432.43m, days31To90: 162_162.16m));
    }

    [Fact]
    public async Task it_narrows_to_a_fund_or_a_donor()
    {
        (await api.Get<ReceivablesAgeingReport>($"/api/receivables/ageing?fundId={app.BasketFund}&asAt=2024-06-30")).ShouldBeEquivalentTo(
            new ReceivablesAgeingReport(D(2024, 6, 30), null,
                List(Norwegian(Buckets(days91To180: 1_000_000m), 172, "2024-06-30")),
                List(new AgeingSubtotal("Norway", app.BasketFund, "AGE-BF", AgeingBuckets.Zero, 100_000m, List(new CurrencyAgeing("NOK", Buckets(days91To180: 1_000_000m))))),
                new AgeingTotals(AgeingBuckets.Zero, 100_000m, List(new CurrencyAgeing("NOK", Buckets(days91To180: 1_000_000m))))));

        var american = await api.Get<ReceivablesAgeingReport>("/api/receivables/ageing?donor=United%20States&asAt=2024-06-30");
        american.Lines.ShouldBe([American(Buckets(days91To180: 150_000m), 121)]);
        (american.Totals.Usd, american.Totals.NotConverted.Count).ShouldBe((Buckets(days91To180: 150_000m), 0));
    }

    [Theory]
    [InlineData("asAt=2024-02-30", 400, "asAt")]
    [InlineData("knownOn=yesterday", 400, "knownOn")]
    [InlineData("asAt=1900-01-01", 400, "asAt")]
    [InlineData("fundId=AGE-TF", 400, "fundId")]
    [InlineData("fundId=5b2f9b5e-0000-4000-8000-000000000001", 404, "fundId")]
    public async Task a_bad_query_is_refused_naming_the_field(string query, int status, string field)
    {
        foreach (var path in new[] { "/api/receivables/ageing", "/api/receivables/ageing.csv" })
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Get.Url($"{path}?{query}");
                s.StatusCodeShouldBe(status);
                s.ContentTypeShouldBe("application/problem+json");
            });
            result.ReadAsJson<System.Text.Json.JsonElement>().GetProperty("errors").EnumerateObject().Select(x => x.Name).ShouldBe([field]);
        }
    }

    [Fact]
    public async Task the_ageing_comes_as_csv_one_row_per_agreement()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/receivables/ageing.csv?asAt=2024-06-30&knownOn=2024-07-01");
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("text/csv");
        });
        result.Context.Response.Headers.ContentDisposition.ToString().ShouldContain("filename=receivables-ageing-as-at-2024-06-30-known-on-2024-07-01.csv");
        result.ReadAsText().TrimEnd().Split('\n').Select(x => x.TrimEnd('\r')).ShouldBe([
            "Donor,Fund,Reference,Currency,OldestDueOn,DaysPastDue,NotYetDue,Days0To30,Days31To90,Days91To180,Over180Days,PastDue,"
            + "UnitsPerUsd,RateEffectiveOn,NotYetDueUsd,Days0To30Usd,Days31To90Usd,Days91To180Usd,Over180DaysUsd,PastDueUsd,CarryingUsd,Note",
            "European Union,AGE-TF,EU-1,EUR,2024-04-30,61,400000,0,150000,0,0,150000,0.925,2024-06-01,432432.43,0,162162.16,0,0,162162.16,611111.11,",
            "Norway,AGE-BF,NO-1,NOK,2024-01-10,172,0,0,0,1000000,0,1000000,,,,,,,,,100000," + NoNokRate("2024-06-30"),
            "United States,AGE-TF,US-1,USD,2024-03-01,121,0,0,0,250000,0,250000,1,,0,0,0,250000,0,250000,250000,",
        ]);
    }
}
