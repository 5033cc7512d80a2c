using System.Security.Claims;
using System.Text.Json;
using Alba;
using Funding.Access;
using Funding.Contributions;
using Funding.Funds;
using Funding.Packages;
using Funding.Packages.TimeToFunding;
using Funding.Periods;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Microsoft.AspNetCore.Hosting;

namespace Funding.Tests.Access;

/// <summary>The walkthrough's ledger (fund SR-TF, packages SR-NP in Nepal and SR-CF in the CAR) and a second fund, read with ScopedReads on.</summary>
public sealed class ScopedReadsApp : FundingApp
{
    public LedgerWalkthrough.Ids Ids { get; private set; } = null!;
    public Guid OtherFundId { get; private set; }

    protected override void ConfigureSettings(IWebHostBuilder web) => web.UseSetting("Funding:Auth:ScopedReads", "true");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var api = new LedgerApi(Host);
        Ids = await LedgerWalkthrough.Run(api, "SR");
        OtherFundId = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "SR-OTHER", name = "Another trust fund", kind = "TrustFund", administrativeAgentFeePercent = 1,
            defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
        }, 201)).FundId;
    }
}

/// <summary>With Funding:Auth:ScopedReads, people read only their funds and countries; administrators and auditors read everything.</summary>
public class ScopedReadsTests(ScopedReadsApp app) : IClassFixture<ScopedReadsApp>
{
    Task<IScenarioResult> Read(string url, string role, params Claim[] scope) => app.Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.RemoveClaim("role");
        s.WithClaim(new Claim("role", role));
        foreach (var claim in scope) s.WithClaim(claim);
        s.IgnoreStatusCode();
    });

    static (int Status, string? Named) Refusal(IScenarioResult result, string field)
    {
        var body = JsonDocument.Parse(result.ReadAsText()).RootElement;
        return (result.Context.Response.StatusCode, body.TryGetProperty(field, out var named) ? named.GetString() : body.ToString());
    }

    static readonly Claim OfficerOfOther = new("funds", "SR-OTHER");
    static readonly Claim FocalPointOfNepal = new("countries", "NP");

    [Fact]
    public async Task a_finance_officer_lists_only_their_funds_and_contributions_and_is_refused_another_funds_statement()
    {
        var funds = (await Read("/api/funds", Roles.FinanceOfficer, OfficerOfOther)).ReadAsJson<List<Fund>>()!;
        var contributions = (await Read("/api/contributions", Roles.FinanceOfficer, OfficerOfOther)).ReadAsJson<List<Contribution>>()!;
        var statement = await Read($"/api/funds/{app.Ids.FundId}/statement", Roles.FinanceOfficer, OfficerOfOther);
        var contribution = await Read($"/api/contributions/{ContributionIds.For("SR-NOR")}", Roles.FinanceOfficer, OfficerOfOther);

        (funds.Select(x => x.Code).Single(), contributions.Count).ShouldBe(("SR-OTHER", 0));
        Refusal(statement, "fund").ShouldBe((403, "SR-TF"));
        Refusal(contribution, "fund").ShouldBe((403, "SR-TF"));
        (await Read($"/api/funds/{app.OtherFundId}/statement", Roles.FinanceOfficer, OfficerOfOther)).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task the_donor_statement_shows_a_finance_officer_their_funds_only_in_every_form()
    {
        var everyFund = (await Read("/api/donors/statement", Roles.Administrator)).ReadAsJson<List<DonorStatementLine>>()!;
        var theirs = (await Read("/api/donors/statement", Roles.FinanceOfficer, new Claim("funds", "SR-TF"))).ReadAsJson<List<DonorStatementLine>>()!;
        var another = (await Read("/api/donors/statement", Roles.FinanceOfficer, OfficerOfOther)).ReadAsJson<List<DonorStatementLine>>()!;
        var csv = (await Read("/api/donors/statement.csv", Roles.FinanceOfficer, OfficerOfOther)).ReadAsText();
        var page = (await Read("/donors", Roles.FinanceOfficer, OfficerOfOther)).ReadAsText();

        everyFund.ShouldNotBeEmpty();
        theirs.ShouldBe(everyFund.Where(x => x.FundId == app.Ids.FundId).ToList());
        another.ShouldBeEmpty();
        (csv.Contains("SR-TF", StringComparison.Ordinal), csv.Contains("SR-NOR", StringComparison.Ordinal)).ShouldBe((false, false));
        page.Contains("SR-TF", StringComparison.Ordinal).ShouldBeFalse();
    }

    [Fact]
    public async Task the_months_figures_at_close_show_a_finance_officer_their_funds_only()
    {
        var api = new LedgerApi(app.Host);
        await api.PostAs("close-1", "/api/periods/closings", new { month = "2024-01" });
        await api.PostAs("close-2", "/api/periods/closings/confirmation", new { });

        var everyFund = (await Read("/api/periods/2024-01/figures-at-close", Roles.Administrator)).ReadAsJson<List<FundAtClose>>()!;
        var theirs = (await Read("/api/periods/2024-01/figures-at-close", Roles.FinanceOfficer, OfficerOfOther)).ReadAsJson<List<FundAtClose>>()!;

        var closesStream = await Read($"/api/audit/streams/{AccountingPeriods.StreamId}/events", Roles.FinanceOfficer, OfficerOfOther);

        (string.Join(",", everyFund.Select(x => x.Code).Order()), string.Join(",", theirs.Select(x => x.Code))).ShouldBe(("SR-OTHER,SR-TF", "SR-OTHER"));
        // The closes' events hold every fund's figures: not read around the narrowed report.
        Refusal(closesStream, "fund").ShouldBe((403, "every fund"));
        (await Read($"/api/audit/streams/{AccountingPeriods.StreamId}/events", Roles.Auditor, OfficerOfOther)).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task the_finance_officers_forms_offer_only_the_funds_they_record_money_for()
    {
        var theirs = (await Read("/record/deposit", Roles.FinanceOfficer, OfficerOfOther)).ReadAsText();
        var everyFund = (await Read("/record/deposit", Roles.FinanceOfficer)).ReadAsText();

        (theirs.Contains("SR-OTHER", StringComparison.Ordinal), theirs.Contains("SR-TF", StringComparison.Ordinal)).ShouldBe((true, false));
        (everyFund.Contains("SR-OTHER", StringComparison.Ordinal), everyFund.Contains("SR-TF", StringComparison.Ordinal)).ShouldBe((true, true));
    }

    [Theory]
    [InlineData("/api/audit/events")]
    [InlineData("/api/audit/events.csv")]
    [InlineData("/API/Audit/Events.CSV")]
    [InlineData("/api/iati/activities.xml")]
    public async Task a_report_across_every_fund_is_refused_to_a_scoped_finance_officer_in_each_of_its_forms(string url) =>
        Refusal(await Read(url, Roles.FinanceOfficer, OfficerOfOther), "fund").ShouldBe((403, "every fund"));

    [Fact]
    public async Task a_focal_point_sees_only_their_countrys_packages_in_lists_and_on_pages()
    {
        var statuses = (await Read("/api/packages/status", Roles.FocalPoint, FocalPointOfNepal)).ReadAsJson<List<PackageStatusReport>>()!;
        var packages = (await Read("/api/packages", Roles.FocalPoint, FocalPointOfNepal)).ReadAsJson<List<Package>>()!;
        var car = await Read($"/api/packages/{app.Ids.UnfundedPackageId}/status", Roles.FocalPoint, FocalPointOfNepal);
        var page = await Read($"/packages/{app.Ids.UnfundedPackageId}", Roles.FocalPoint, FocalPointOfNepal);
        var timeToFunding = (await Read("/api/packages/time-to-funding?asOf=2025-01-10", Roles.FocalPoint, FocalPointOfNepal)).ReadAsJson<TimeToFundingReport>()!;
        var everywhere = (await Read("/api/packages/time-to-funding?asOf=2025-01-10", Roles.Administrator)).ReadAsJson<TimeToFundingReport>()!;

        (string.Join(",", statuses.Select(x => x.Code)), string.Join(",", packages.Select(x => x.Code))).ShouldBe(("SR-NP", "SR-NP"));
        Refusal(car, "country").ShouldBe((403, "CF"));
        page.Context.Response.StatusCode.ShouldBe(403);
        (string.Join(",", everywhere.Packages.Select(x => x.Code).Order()), string.Join(",", timeToFunding.Packages.Select(x => x.Code)), timeToFunding.Approved)
            .ShouldBe(("SR-CF,SR-NP", "SR-NP", 1));
        // Funds are not the focal point's dimension: their statements stay open, whatever funds the token names.
        (await Read($"/api/funds/{app.Ids.FundId}/statement", Roles.FocalPoint, FocalPointOfNepal, OfficerOfOther)).Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task auditors_and_administrators_and_people_without_a_scope_read_everything()
    {
        foreach (var (role, scope) in new[] { (Roles.Auditor, new[] { OfficerOfOther, FocalPointOfNepal }), (Roles.Administrator, [OfficerOfOther]), (Roles.FinanceOfficer, []) })
        {
            var statuses = (await Read("/api/packages/status", role, scope)).ReadAsJson<List<PackageStatusReport>>()!;
            var funds = (await Read("/api/funds", role, scope)).ReadAsJson<List<Fund>>()!;

            (string.Join(",", statuses.Select(x => x.Code).Order()), string.Join(",", funds.Select(x => x.Code).Order())).ShouldBe(("SR-CF,SR-NP", "SR-OTHER,SR-TF"), role);
            (await Read("/api/donors/statement", role, scope)).Context.Response.StatusCode.ShouldBe(200, role);
        }
    }
}
