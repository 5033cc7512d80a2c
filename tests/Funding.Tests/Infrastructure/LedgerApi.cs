using Alba;
using Funding.Shared;
using Funding.Statements;

namespace Funding.Tests.Infrastructure;

/// <summary>The HTTP API as a finance officer's client uses it; every write is checked against the trial balance.</summary>
public sealed class LedgerApi(IAlbaHost host)
{
    /// <summary>Who approves packages: never the tester who recorded the needs assessment (four eyes).</summary>
    public const string FocalPoint = "focal-point";

    public async Task<T> Post<T>(string url, object body, int expectedStatus = 200)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            if (url.EndsWith("/approval", StringComparison.Ordinal))
            {
                s.RemoveClaim("sub");
                s.WithClaim(new System.Security.Claims.Claim("sub", FocalPoint));
            }

            s.StatusCodeShouldBe(expectedStatus);
        });
        return result.ReadAsJson<T>()!;
    }

    public Task<Recorded> Record(string url, object body, int expectedStatus = 200) => Post<Recorded>(url, body, expectedStatus);

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

    public static object Usd(decimal amount) => new { amount, currency = "USD" };
    public static object Money(decimal amount, string currency) => new { amount, currency };
}
