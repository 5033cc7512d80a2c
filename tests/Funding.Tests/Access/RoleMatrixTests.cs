using System.Security.Claims;
using Alba;
using Funding.Access;
using Funding.Contributions;

using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Marten;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Access;

/// <summary>Every endpoint against every role: who may do what, and 401 without a valid token.</summary>
public class RoleMatrixTests(WalkthroughApp app) : IClassFixture<WalkthroughApp>
{
    /// <summary>Every write route, as the endpoint declares it, and the one role allowed to use it.</summary>
    internal static readonly (string Route, string Role)[] WriteRoles =
    [
        ("/api/funds", Roles.Administrator),
        ("/api/funds/{fundId}/closure", Roles.Administrator),
        ("/api/funds/{fundId}/interest", Roles.FinanceOfficer),
        ("/api/funds/{fundId}/appropriations", Roles.FinanceOfficer),
        ("/api/funds/{fundId}/revaluations", Roles.FinanceOfficer),
        ("/api/contributions/pledges", Roles.FinanceOfficer),
        ("/api/contributions/agreements", Roles.FinanceOfficer),
        ("/api/contributions/deposits", Roles.FinanceOfficer),
        ("/api/contributions/imports/{kind}", Roles.FinanceOfficer),
        ("/api/contributions/{contributionId}/pledge-reductions", Roles.FinanceOfficer),
        ("/api/contributions/{contributionId}/agreement-reductions", Roles.FinanceOfficer),
        ("/api/contributions/{contributionId}/agreement-reductions/confirmation", Roles.FinanceOfficer),
        ("/api/contributions/{contributionId}/agreement-corrections", Roles.FinanceOfficer),
        ("/api/contributions/{contributionId}/agreement-corrections/confirmation", Roles.FinanceOfficer),
        ("/api/packages/{packageId}/allocations", Roles.FinanceOfficer),
        ("/api/packages/{packageId}/transfers", Roles.FinanceOfficer),
        ("/api/packages/{packageId}/expenditure", Roles.FinanceOfficer),
        ("/api/packages/{packageId}/refunds", Roles.FinanceOfficer),
        ("/api/packages/{packageId}/allocation-returns", Roles.FinanceOfficer),
        ("/api/rates", Roles.FinanceOfficer),
        ("/api/rates/csv", Roles.FinanceOfficer),
        ("/api/packages", Roles.FocalPoint),
        ("/api/packages/{packageId}/needs-assessment", Roles.FocalPoint),
        ("/api/packages/{packageId}/approval", Roles.FocalPoint),
        ("/api/packages/{packageId}/closure", Roles.FocalPoint),
        ("/api/packages/{packageId}/budget-revisions", Roles.FocalPoint),
        ("/api/packages/{packageId}/budget-revisions/approval", Roles.FocalPoint),
        ("/api/periods/closings", Roles.FinanceOfficer),
        ("/api/periods/closings/confirmation", Roles.FinanceOfficer),
        ("/api/periods/closings/withdrawal", Roles.FinanceOfficer),
        ("/api/periods/reopenings", Roles.Administrator),
    ];

    /// <summary>Write routes, the role allowed, and a role to try. A refused role must get 403 whatever the body.</summary>
    public static TheoryData<string, string, string> Writes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (route, role) in WriteRoles)
        foreach (var candidate in Roles.All)
            data.Add(route, role, candidate);
        return data;
    }

    [Fact]
    public void every_write_route_the_service_maps_has_its_role_in_the_matrix()
    {
        var mapped = ApiRoutes.Of(app.Host.Services, "POST");
        mapped.Except(WriteRoles.Select(x => x.Route)).ShouldBeEmpty("a POST route the matrix does not list");
        WriteRoles.Select(x => x.Route).Except(mapped).ShouldBeEmpty("a matrix entry no endpoint maps");
    }

    string Url(string template) => template
        .Replace("{fundId}", app.Ids.FundId.ToString())
        .Replace("{packageId}", app.Ids.PackageId.ToString())
        .Replace("{contributionId}", ContributionIds.For("RM-NOR").ToString())
        .Replace("{kind}", "deposits");

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task a_write_is_forbidden_to_every_role_but_its_own(string template, string allowed, string role)
    {
        await using var session = app.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().CountAsync();

        // An empty body: the allowed role gets past authorization to validation or a rule (400, 422); the others stop at 403.
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { }).ToUrl(Url(template));
            s.RemoveClaim("role");
            s.WithClaim(new Claim("role", role));
            s.IgnoreStatusCode();
        });

        var status = result.Context.Response.StatusCode;
        if (role == allowed) status.ShouldBeOneOf([400, 422], $"{role} on {template}");
        else status.ShouldBe(403, $"{role} on {template}");
        await using var after = app.Store.QuerySession();
        (await after.Events.QueryAllRawEvents().CountAsync()).ShouldBe(events);
    }

    [Theory]
    [InlineData("/api/funds")]
    [InlineData("/api/funds/{fundId}/statement")]
    [InlineData("/api/funds/{fundId}/trial-balance")]
    [InlineData("/api/packages")]
    [InlineData("/api/packages/status")]
    [InlineData("/api/packages/{packageId}/status")]
    [InlineData("/api/contributions")]
    [InlineData("/api/donors/statement")]
    [InlineData("/api/receivables/ageing")]
    [InlineData("/api/receivables/ageing.csv?asAt=2024-06-30&knownOn=2030-01-01")]
    [InlineData("/api/rates/NOK")]
    [InlineData("/api/audit/events")]
    [InlineData("/api/audit/streams/{fundId}/events")]
    [InlineData("/api/funds/{fundId}/statement?asAt=2024-06-30&knownOn=2030-01-01")]
    [InlineData("/api/funds/{fundId}/statement/period?period=2024-06")]
    [InlineData("/api/funds/{fundId}/trial-balance/period?period=2024")]
    [InlineData("/api/funds/{fundId}/statement.xlsx")]
    [InlineData("/api/funds/{fundId}/trial-balance.xlsx")]
    [InlineData("/api/packages/status.xlsx")]
    [InlineData("/api/donors/statement.xlsx")]
    public async Task every_role_reads_and_auditors_only_read(string template)
    {
        foreach (var role in Roles.All)
        {
            await app.Host.Scenario(s =>
            {
                s.Get.Url(Url(template));
                s.RemoveClaim("role");
                s.WithClaim(new Claim("role", role));
                s.StatusCodeShouldBe(200);
            });
        }
    }

    [Fact]
    public async Task without_a_valid_token_it_is_401_and_health_stays_open()
    {
        using var anonymous = app.Host.Server.CreateClient();
        (await anonymous.GetAsync("/api/funds")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/funds", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).StatusCode
            .ShouldBe(System.Net.HttpStatusCode.Unauthorized);

        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.token");
        (await anonymous.GetAsync("/api/funds")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);

        (await app.Host.Server.CreateClient().GetAsync("/health")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    [Fact]
    public async Task every_event_records_who_did_it_and_in_which_roles()
    {
        await using var session = app.Store.QuerySession();
        var approval = (await session.Events.FetchStreamAsync(app.Ids.PackageId)).Single(x => x.Data is Funding.Packages.PackageApproved);

        approval.UserName.ShouldBe(FocalPoint);
        approval.Headers!["roles"].ToString().ShouldBe(string.Join(",", Roles.All.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task an_agreement_reduction_takes_effect_only_when_a_second_finance_officer_confirms_it()
    {
        var api = new LedgerApi(app.Host);
        var contribution = ContributionIds.For("RM-NOR");
        var url = $"/api/contributions/{contribution}/agreement-reductions";
        await api.Record(url, new { reduction = Money(1_000_000m, "NOK"), reason = "Agreement amended to NOK 14m", reducedOn = "2024-10-01" });
        (await api.Get<Contribution>($"/api/contributions/{contribution}")).Receivable.ShouldBe(5_000_000m);

        var same = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { }).ToUrl(url + "/confirmation");
            s.StatusCodeShouldBe(422);
        });
        same.ReadAsText().ShouldContain("\"rule\":\"four-eyes\"");

        var confirmed = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { }).ToUrl(url + "/confirmation");
            s.RemoveClaim("sub");
            s.WithClaim(new Claim("sub", "second-officer"));
            s.StatusCodeShouldBe(200);
        });
        confirmed.ReadAsJson<Funding.Shared.Recorded>()!.Postings.Select(x => (x.Account, x.Debit, x.Credit)).ShouldBe([
            (Funding.Ledger.Account.ContributionRevenue, 95_238.10m, 0m),
            (Funding.Ledger.Account.ReceivablesFromDonors, 0m, 95_238.10m),
        ]);
        (await api.Get<Contribution>($"/api/contributions/{contribution}")).Receivable.ShouldBe(4_000_000m);
        await api.TrialBalanceShouldBeZero(app.Ids.FundId);
    }

    [Fact]
    public async Task whoever_recorded_the_needs_assessment_cannot_approve()
    {
        var api = new LedgerApi(app.Host);
        var package = await api.Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code = "FOUR-EYES", country = "NP", electoralProcess = "E", origin = "MemberStateRequest", requestedOn = "2024-01-02",
        }, 201);
        await api.Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-01-10", implementingOrganisations = new[] { "UNDP" },
            phases = new[] { new { phase = "Polling", startsOn = "2024-06-01", endsOn = "2024-06-30", budget = Usd(1_000m) } },
        });

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { approvedOn = "2024-01-20", phases = new[] { new { phase = "Polling", budget = Usd(1_000m) } } })
                .ToUrl($"/api/packages/{package.PackageId}/approval");
            s.StatusCodeShouldBe(422);
        });
        result.ReadAsText().ShouldContain("\"rule\":\"four-eyes\"");

        // Someone else approves.
        await api.Record($"/api/packages/{package.PackageId}/approval", new { approvedOn = "2024-01-20", phases = new[] { new { phase = "Polling", budget = Usd(1_000m) } } });
    }
}
