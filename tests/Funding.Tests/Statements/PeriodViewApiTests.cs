using Alba;
using Funding.Ledger;
using Funding.Statements;
using Funding.Statements.Periods;
using Funding.Tests.Audit;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Statements;

/// <summary>
/// The period view over HTTP. A basket fund (1% fee, 7% indirect cost) holds USD 500,000 from December 2024. In March
/// 2025 it receives 1,200,000 (fee 12,000), allocates 800,000 to a package and earns 2,500.00 interest; in April it
/// transfers 600,000 plus 7% to UNDP, receives 300,000 (fee 3,000), UNDP reports 200,000 spent and April's interest,
/// 1,750.25, is recorded on May 2; May 5 brings 1,000.00 more. Each step is recorded on its own date (the test moves the
/// service's clock), and the views are read on 2025-05-10.
/// </summary>
public class PeriodViewApiTests(PeriodViewApiTests.PeriodLedger app) : IClassFixture<PeriodViewApiTests.PeriodLedger>
{
    public sealed class PeriodLedger : FundingApp
    {
        public MovableClock Clock { get; } = new();
        public Guid FundId { get; private set; }

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var api = new LedgerApi(Host);
            void On(int year, int month, int day) => Clock.Now = new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero);

            On(2024, 11, 1);
            FundId = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
            {
                code = "GN-BASKET", name = "Guinea electoral basket fund", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1,
                defaultIndirectCostPercent = 7, eligibleCountries = new[] { "GN" }, establishedOn = "2024-11-01",
            }, 201)).FundId;
            On(2024, 12, 10);
            await api.Record("/api/contributions/deposits", new { reference = "GN-A-1", fundId = FundId, donor = "Donor A", amount = Usd(500_000m), valueDate = "2024-12-10", transactionReference = "TX-GN-A-1" }, 201);

            On(2025, 2, 15);
            var package = (await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
            {
                code = "GN-2025", country = "GN", electoralProcess = "2025 legislative", electionDay = "2025-09-14", origin = "MemberStateRequest", requestedOn = "2025-01-10",
            }, 201)).PackageId;
            await api.Record($"/api/packages/{package}/needs-assessment", new
            {
                assessedOn = "2025-02-01", implementingOrganisations = new[] { "UNDP" },
                phases = new[] { new { phase = "Polling", startsOn = "2025-06-01", endsOn = "2025-09-30", budget = Usd(1_000_000m) } },
            });
            await api.Record($"/api/packages/{package}/approval", new { approvedOn = "2025-02-15", phases = new[] { new { phase = "Polling", budget = Usd(1_000_000m) } } });

            On(2025, 3, 5);
            await api.Record("/api/contributions/deposits", new { reference = "GN-B-1", fundId = FundId, donor = "Donor B", amount = Usd(1_200_000m), valueDate = "2025-03-05", transactionReference = "TX-GN-B-1" }, 201);
            On(2025, 3, 20);
            await api.Record($"/api/packages/{package}/allocations", new { fundId = FundId, phase = "Polling", amount = Usd(800_000m), allocatedOn = "2025-03-20" });
            On(2025, 3, 31);
            await api.Record($"/api/funds/{FundId}/interest", new { amount = Usd(2_500m), earnedOn = "2025-03-31" });

            On(2025, 4, 10);
            await api.Record($"/api/packages/{package}/transfers", new
            {
                fundId = FundId, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(600_000m), transferredOn = "2025-04-10",
            });
            On(2025, 4, 15);
            await api.Record("/api/contributions/deposits", new { reference = "GN-A-2", fundId = FundId, donor = "Donor A", amount = Usd(300_000m), valueDate = "2025-04-15", transactionReference = "TX-GN-A-2" }, 201);
            On(2025, 4, 30);
            await api.Record($"/api/packages/{package}/expenditure", new
            {
                fundId = FundId, phase = "Polling", implementingOrganisation = "UNDP", basis = "Interim", cumulativeToDate = Usd(200_000m), asOf = "2025-04-30",
            });
            On(2025, 5, 2);
            await api.Record($"/api/funds/{FundId}/interest", new { amount = Usd(1_750.25m), earnedOn = "2025-04-30" });
            On(2025, 5, 5);
            await api.Record($"/api/funds/{FundId}/interest", new { amount = Usd(1_000m), earnedOn = "2025-05-05" });

            On(2025, 5, 10);
        }
    }

    readonly LedgerApi api = new(app.Host);

    Task<FundStatementPeriodReport> Statement(string query) => api.Get<FundStatementPeriodReport>($"/api/funds/{app.FundId}/statement/period?{query}");
    Task<TrialBalancePeriodReport> Balance(string query) => api.Get<TrialBalancePeriodReport>($"/api/funds/{app.FundId}/trial-balance/period?{query}");

    static LocalDate D(int year, int month, int day) => new(year, month, day);

    static readonly string[] LineNames =
    [
        "Contributions", "Interest", "Other income", "Appropriations lapsed", "Balances received from other funds", "Total sources",
        "Transferred to implementing organisations", "Refunds", "Net funded amount",
        "Administrative agent fees", "Refunds to donors", "Balances moved to other funds", "Total uses", "Balance with administrative agent", "Expenditure", "Balance with implementing organisations",
        "Total balance", "Allocated, not yet transferred", "Receivables outstanding", "Outstanding pledges (indicative)",
        "Realised exchange gains and losses", "Unrealised exchange gains and losses",
    ];

    /// <summary>(opening, movement, closing) of each line, in the statement's order.</summary>
    static FundStatementPeriodLine[] Lines(params (decimal Opening, decimal Movement, decimal Closing)[] figures)
    {
        figures.Length.ShouldBe(LineNames.Length);
        return LineNames.Zip(figures, (name, x) => new FundStatementPeriodLine(name, x.Opening, x.Movement, x.Closing)).ToArray();
    }

    static readonly (decimal, decimal, decimal) Nil = (0m, 0m, 0m);

    [Fact]
    public async Task march_april_and_the_year_open_move_and_close_to_the_cent()
    {
        var march = await Statement("period=2025-03");
        march.ShouldBe(new FundStatementPeriodReport(app.FundId, "GN-BASKET", "Guinea electoral basket fund",
            new ReportedPeriod("2025-03", D(2025, 3, 1), D(2025, 3, 31), D(2025, 2, 28), null, true), march.Lines));
        march.Lines.ShouldBe(Lines(
            (500_000m, 1_200_000m, 1_700_000m), (0m, 2_500m, 2_500m), Nil, Nil, Nil, (500_000m, 1_202_500m, 1_702_500m),
            Nil, Nil, Nil, (5_000m, 12_000m, 17_000m), Nil, Nil, (5_000m, 12_000m, 17_000m), (495_000m, 1_190_500m, 1_685_500m),
            Nil, Nil, (495_000m, 1_190_500m, 1_685_500m), (0m, 800_000m, 800_000m), Nil, Nil, Nil, Nil));

        var april = await Statement("period=2025-04");
        april.Period.ShouldBe(new ReportedPeriod("2025-04", D(2025, 4, 1), D(2025, 4, 30), D(2025, 3, 31), null, true));
        april.Lines.ShouldBe(Lines(
            (1_700_000m, 300_000m, 2_000_000m), (2_500m, 1_750.25m, 4_250.25m), Nil, Nil, Nil, (1_702_500m, 301_750.25m, 2_004_250.25m),
            (0m, 642_000m, 642_000m), Nil, (0m, 642_000m, 642_000m), (17_000m, 3_000m, 20_000m), Nil, Nil, (17_000m, 645_000m, 662_000m),
            (1_685_500m, -343_249.75m, 1_342_250.25m), (0m, 200_000m, 200_000m), (0m, 442_000m, 442_000m),
            (1_685_500m, 98_750.25m, 1_784_250.25m), (800_000m, -642_000m, 158_000m), Nil, Nil, Nil, Nil));

        // The year is not over on May 10: its closing is what has been recorded so far, May 5's interest included.
        var year = await Statement("period=2025");
        year.Period.ShouldBe(new ReportedPeriod("2025", D(2025, 1, 1), D(2025, 12, 31), D(2024, 12, 31), null, false));
        year.Lines.ShouldBe(Lines(
            (500_000m, 1_500_000m, 2_000_000m), (0m, 5_250.25m, 5_250.25m), Nil, Nil, Nil, (500_000m, 1_505_250.25m, 2_005_250.25m),
            (0m, 642_000m, 642_000m), Nil, (0m, 642_000m, 642_000m), (5_000m, 15_000m, 20_000m), Nil, Nil, (5_000m, 657_000m, 662_000m),
            (495_000m, 848_250.25m, 1_343_250.25m), (0m, 200_000m, 200_000m), (0m, 442_000m, 442_000m),
            (495_000m, 1_290_250.25m, 1_785_250.25m), (0m, 158_000m, 158_000m), Nil, Nil, Nil, Nil));

        foreach (var report in new[] { march, april, year }) report.Lines.ShouldAllBe(x => x.Opening + x.Movement == x.Closing);
        april.Lines.Select(x => x.Opening).ShouldBe(march.Lines.Select(x => x.Closing));
        // Each end is the statement as at that date.
        var asAtMarchEnd = await api.Get<FundStatementReport>($"/api/funds/{app.FundId}/statement?asAt=2025-03-31");
        march.Lines.Select(x => x.Closing).ShouldBe(FundStatementReport.Lines(asAtMarchEnd).Select(x => x.Usd));
    }

    [Fact]
    public async Task the_trial_balance_over_march_and_april_shows_each_accounts_opening_debits_credits_and_closing()
    {
        var march = await Balance("period=2025-03");
        march.ShouldBe(new TrialBalancePeriodReport(app.FundId, new ReportedPeriod("2025-03", D(2025, 3, 1), D(2025, 3, 31), D(2025, 2, 28), null, true),
            march.Lines, 500_000m, 500_000m, 2_014_500m, 2_014_500m, 2_502_500m, 2_502_500m, true));
        march.Lines.ShouldBe([
            new(1000, Account.Cash, 495_000m, 0m, 1_202_500m, 12_000m, 1_685_500m, 0m),
            new(4000, Account.ContributionRevenue, 0m, 500_000m, 0m, 1_200_000m, 0m, 1_700_000m),
            new(4100, Account.Interest, 0m, 0m, 0m, 2_500m, 0m, 2_500m),
            new(5100, Account.AdministrativeAgentFees, 5_000m, 0m, 12_000m, 0m, 17_000m, 0m),
            new(8000, Account.Allocations, 0m, 0m, 800_000m, 0m, 800_000m, 0m),
            new(8100, Account.AllocationsEarmarked, 0m, 0m, 0m, 800_000m, 0m, 800_000m),
        ]);

        var april = await Balance("period=2025-04");
        april.ShouldBe(new TrialBalancePeriodReport(app.FundId, new ReportedPeriod("2025-04", D(2025, 4, 1), D(2025, 4, 30), D(2025, 3, 31), null, true),
            april.Lines, 2_502_500m, 2_502_500m, 1_788_750.25m, 1_788_750.25m, 2_162_250.25m, 2_162_250.25m, true));
        april.Lines.ShouldBe([
            new(1000, Account.Cash, 1_685_500m, 0m, 301_750.25m, 645_000m, 1_342_250.25m, 0m),
            new(1200, Account.AmountsTransferred, 0m, 0m, 642_000m, 200_000m, 442_000m, 0m),
            new(4000, Account.ContributionRevenue, 0m, 1_700_000m, 0m, 300_000m, 0m, 2_000_000m),
            new(4100, Account.Interest, 0m, 2_500m, 0m, 1_750.25m, 0m, 4_250.25m),
            new(5000, Account.Expenditure, 0m, 0m, 200_000m, 0m, 200_000m, 0m),
            new(5100, Account.AdministrativeAgentFees, 17_000m, 0m, 3_000m, 0m, 20_000m, 0m),
            new(8000, Account.Allocations, 800_000m, 0m, 0m, 642_000m, 158_000m, 0m),
            new(8100, Account.AllocationsEarmarked, 0m, 800_000m, 642_000m, 0m, 0m, 158_000m),
        ]);

        var year = await Balance("period=2025");
        year.Period.Over.ShouldBeFalse();
        (year.TotalOpeningDebits, year.TotalDebits, year.TotalCredits, year.TotalClosingDebits, year.Balanced)
            .ShouldBe((500_000m, 3_804_250.25m, 3_804_250.25m, 2_163_250.25m, true));
        foreach (var report in new[] { march, april, year })
            report.Lines.ShouldAllBe(x => x.OpeningDebit - x.OpeningCredit + x.Debits - x.Credits == x.ClosingDebit - x.ClosingCredit);
        april.Lines.Where(x => x.OpeningDebit != 0m || x.OpeningCredit != 0m).Select(x => (x.Account, x.OpeningDebit, x.OpeningCredit))
            .ShouldBe(march.Lines.Where(x => x.ClosingDebit != 0m || x.ClosingCredit != 0m).Select(x => (x.Account, x.ClosingDebit, x.ClosingCredit)));
        var asAtAprilEnd = await api.Get<TrialBalanceReport>($"/api/funds/{app.FundId}/trial-balance?asAt=2025-04-30");
        april.Lines.Select(x => new TrialBalanceLine(x.Code, x.Account, x.ClosingDebit, x.ClosingCredit)).ShouldBe(asAtAprilEnd.Lines);
    }

    [Fact]
    public async Task as_known_on_may_1_april_has_no_interest_yet_and_may_is_not_over()
    {
        var april = await Statement("period=2025-04&knownOn=2025-05-01");
        april.Period.KnownOn.ShouldBe(D(2025, 5, 1));
        april.Lines.Where(x => x.Line is "Interest" or "Total balance").ShouldBe([
            new FundStatementPeriodLine("Interest", 2_500m, 0m, 2_500m), new FundStatementPeriodLine("Total balance", 1_685_500m, 97_000m, 1_782_500m),
        ]);
        (await Balance("period=2025-04&knownOn=2025-05-01")).Lines.Single(x => x.Account == Account.Interest)
            .ShouldBe(new TrialBalancePeriodLine(4100, Account.Interest, 0m, 2_500m, 0m, 0m, 0m, 2_500m));

        var may = await Statement("period=2025-05");
        (may.Period.Over, may.Lines.Single(x => x.Line == "Interest")).ShouldBe((false, new FundStatementPeriodLine("Interest", 4_250.25m, 1_000m, 5_250.25m)));
    }

    [Fact]
    public async Task the_period_views_come_as_csv()
    {
        async Task<(string File, string[] Lines)> Csv(string url)
        {
            var result = await app.Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.StatusCodeShouldBe(200);
                s.ContentTypeShouldBe("text/csv");
            });
            return (result.Context.Response.Headers.ContentDisposition.ToString(), result.ReadAsText().TrimEnd().Split('\n').Select(x => x.TrimEnd('\r')).ToArray());
        }

        var statement = await Csv($"/api/funds/{app.FundId}/statement/period.csv?period=2025-04");
        statement.File.ShouldContain("filename=fund-statement-GN-BASKET-2025-04.csv");
        statement.Lines.ShouldBe([
            "Line,Opening,Movement,Closing",
            "Contributions,1700000,300000,2000000",
            "Interest,2500,1750.25,4250.25",
            "Other income,0,0,0",
            "Appropriations lapsed,0,0,0",
            "Balances received from other funds,0,0,0",
            "Total sources,1702500,301750.25,2004250.25",
            "Transferred to implementing organisations,0,642000,642000",
            "Refunds,0,0,0",
            "Net funded amount,0,642000,642000",
            "Administrative agent fees,17000,3000,20000",
            "Refunds to donors,0,0,0",
            "Balances moved to other funds,0,0,0",
            "Total uses,17000,645000,662000",
            "Balance with administrative agent,1685500,-343249.75,1342250.25",
            "Expenditure,0,200000,200000",
            "Balance with implementing organisations,0,442000,442000",
            "Total balance,1685500,98750.25,1784250.25",
            "\"Allocated, not yet transferred\",800000,-642000,158000",
            "Receivables outstanding,0,0,0",
            "Outstanding pledges (indicative),0,0,0",
            "Realised exchange gains and losses,0,0,0",
            "Unrealised exchange gains and losses,0,0,0",
        ]);

        var balance = await Csv($"/api/funds/{app.FundId}/trial-balance/period.csv?period=2025&knownOn=2025-05-01");
        balance.File.ShouldContain("filename=trial-balance-2025-not-yet-over-known-on-2025-05-01.csv");
        balance.Lines.ShouldBe([
            "Code,Account,OpeningDebit,OpeningCredit,Debits,Credits,ClosingDebit,ClosingCredit",
            "1000,Cash,495000,0,1502500,657000,1340500,0",
            "1200,AmountsTransferred,0,0,642000,200000,442000,0",
            "4000,ContributionRevenue,0,500000,0,1500000,0,2000000",
            "4100,Interest,0,0,0,2500,0,2500",
            "5000,Expenditure,0,0,200000,0,200000,0",
            "5100,AdministrativeAgentFees,5000,0,15000,0,20000,0",
            "8000,Allocations,0,0,800000,642000,158000,0",
            "8100,AllocationsEarmarked,0,0,642000,800000,0,158000",
        ]);
    }

    [Theory]
    [InlineData("statement/period?period=2025-13", "period")]
    [InlineData("statement/period?period=25-03", "period")]
    [InlineData("statement/period?period=1900", "period")]
    [InlineData("statement/period", "period")]
    [InlineData("trial-balance/period.csv?period=2025/03", "period")]
    [InlineData("statement/period?period=2025-03&asAt=2025-03-31", "asAt")]
    [InlineData("trial-balance/period?period=2025&asAt=2025-12-31", "asAt")]
    [InlineData("statement/period.csv?period=2025-03&knownOn=March", "knownOn")]
    [InlineData("statement?period=2025-03", "period")]
    [InlineData("statement.csv?period=2025-03&asAt=2025-03-31", "period")]
    [InlineData("trial-balance?period=2025", "period")]
    [InlineData("trial-balance.csv?period=2025", "period")]
    public async Task a_period_that_does_not_read_or_comes_with_asAt_is_refused_naming_the_field(string route, string field)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{app.FundId}/{route}");
            s.StatusCodeShouldBe(400);
        });
        var errors = result.ReadAsJson<System.Text.Json.JsonElement>().GetProperty("errors");
        errors.EnumerateObject().Select(x => x.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task a_period_before_the_fund_existed_has_no_statement_and_an_empty_trial_balance()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{app.FundId}/statement/period?period=2024-10");
            s.StatusCodeShouldBe(404);
        });
        result.ReadAsText().ShouldContain("There was no fund with that id by 2024-10-31, the end of 2024-10, as known on today.");

        var balance = await Balance("period=2024-10");
        (balance.Lines.Count, balance.TotalClosingDebits, balance.Balanced).ShouldBe((0, 0m, true));
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{Guid.NewGuid()}/trial-balance/period?period=2025-03");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task the_refusal_of_a_period_on_a_report_for_one_date_names_the_route_that_takes_it()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{app.FundId}/statement.csv?period=2025-03");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<System.Text.Json.JsonElement>().GetProperty("errors").GetProperty("period")[0].GetString().ShouldBe(
            $"A period view has its own route: ask /api/funds/{app.FundId}/statement/period.csv?period=2025-03, with a month as yyyy-MM (2025-03) or a calendar year as yyyy (2025).");
    }
}
