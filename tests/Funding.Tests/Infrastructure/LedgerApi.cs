using Alba;
using Funding.Shared;
using Funding.Statements;

namespace Funding.Tests.Infrastructure;

/// <summary>The HTTP API as a finance officer's client uses it; every write is checked against the trial balance.</summary>
public sealed class LedgerApi(IAlbaHost host)
{
    /// <summary>Who approves packages: never the tester who recorded the needs assessment (four eyes).</summary>
    public const string FocalPoint = "focal-point";

    public async Task<T> Post<T>(string url, object body, int expectedStatus = 200, string? correlationId = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            if (correlationId is not null) s.WithRequestHeader(Funding.Hosting.Telemetry.CorrelationScope.Header, correlationId);
            if (url.EndsWith("/approval", StringComparison.Ordinal))
            {
                s.RemoveClaim("sub");
                s.WithClaim(new System.Security.Claims.Claim("sub", FocalPoint));
            }

            s.StatusCodeShouldBe(expectedStatus);
        });
        return result.ReadAsJson<T>()!;
    }

    public Task<Recorded> Record(string url, object body, int expectedStatus = 200, string? correlationId = null) =>
        Post<Recorded>(url, body, expectedStatus, correlationId);

    /// <summary>Posts as a named person (for four eyes), answering the body as JSON whatever the status.</summary>
    public async Task<System.Text.Json.JsonElement> PostAs(string user, string url, object body, int expectedStatus = 200)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.RemoveClaim("sub");
            s.WithClaim(new System.Security.Claims.Claim("sub", user));
            s.StatusCodeShouldBe(expectedStatus);
        });
        return result.ReadAsJson<System.Text.Json.JsonElement>();
    }

    public async Task<T> Get<T>(string url) => (await host.GetAsJson<T>(url))!;

    /// <summary>Posts a command the ledger must refuse, and returns the rule it names.</summary>
    public async Task<string> Refused(string url, object body)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(422);
        });
        var problem = result.ReadAsJson<System.Text.Json.JsonElement>();
        return problem.GetProperty("rule").GetString()!;
    }

    public async Task<TrialBalanceReport> TrialBalanceShouldBeZero(Guid fundId)
    {
        var balance = await Get<TrialBalanceReport>($"/api/funds/{fundId}/trial-balance");
        balance.Balanced.ShouldBeTrue($"trial balance of {fundId}: debits {balance.TotalDebits}, credits {balance.TotalCredits}");
        return balance;
    }

    /// <summary>Given: a trust fund for the country, with no fee or indirect cost, holding one deposit of USD cash.</summary>
    public async Task<Guid> FundWithCash(string code, decimal usd, string country = "CF")
    {
        var fund = await Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code, name = $"{code} trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 0,
            eligibleCountries = new[] { country }, establishedOn = "2024-01-02",
        }, 201);
        await Record("/api/contributions/deposits", new
        {
            reference = $"{code}-CASH", fundId = fund.FundId, donor = "Donor", amount = Usd(usd), valueDate = "2024-01-10",
            transactionReference = $"TX-{code}-CASH",
        }, 201);
        return fund.FundId;
    }

    /// <summary>Given: a package requested, assessed and approved (by another person) with these phases, each in 2024.</summary>
    public async Task<Guid> ApprovedPackage(string code, string country, params (string Phase, decimal Budget)[] phases)
    {
        var package = await Post<Funding.Packages.Requesting.PackageCreated>("/api/packages", new
        {
            code, country, electoralProcess = "2024 elections", electionDay = "2024-12-15", origin = "MemberStateRequest", requestedOn = "2024-02-01",
        }, 201);
        await Record($"/api/packages/{package.PackageId}/needs-assessment", new
        {
            assessedOn = "2024-03-01", implementingOrganisations = new[] { "UNDP" },
            phases = phases.Select(x => new { phase = x.Phase, startsOn = "2024-06-01", endsOn = "2024-12-31", budget = Usd(x.Budget) }).ToArray(),
        });
        await Record($"/api/packages/{package.PackageId}/approval", new
        {
            approvedOn = "2024-04-01", phases = phases.Select(x => new { phase = x.Phase, budget = Usd(x.Budget) }).ToArray(),
        });
        return package.PackageId;
    }

    public static object Usd(decimal amount) => new { amount, currency = "USD" };
    public static object Money(decimal amount, string currency) => new { amount, currency };
}
