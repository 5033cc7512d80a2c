using System.Net;
using System.Net.Http.Json;
using Alba;
using Funding.Contributions;
using Funding.Tests.Infrastructure;
using Marten;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Hosting;

/// <summary>A client that retries records nothing twice: the Idempotency-Key contract.</summary>
public class IdempotencyTests(FundingApp app) : IClassFixture<FundingApp>
{
    async Task<Guid> Fund(string code)
    {
        var fund = await new LedgerApi(app.Host).Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code, name = "Idempotent fund", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
        }, 201);
        return fund.FundId;
    }

    async Task<(int Status, string Body, string? Location, bool Replayed)> Send(string url, object body, string key)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("Idempotency-Key", key);
            s.IgnoreStatusCode();
        });
        var response = result.Context.Response;
        return (response.StatusCode, result.ReadAsText(), response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
            response.Headers.ContainsKey("Idempotent-Replay"));
    }

    /// <summary>The trace id names the HTTP exchange, not the answer.</summary>
    static string WithoutTraceId(string body) => System.Text.RegularExpressions.Regex.Replace(body, ",\"traceId\":\"[^\"]*\"", "");

    async Task<int> EventCount()
    {
        await using var session = app.Store.QuerySession();
        // Marten's tombstones fill the sequence numbers a failed write had reserved: not facts of the ledger.
        return await session.Events.QueryAllRawEvents().Where(x => x.EventTypeName != "tombstone").CountAsync();
    }

    [Fact]
    public async Task the_same_key_and_body_return_the_original_answer_and_append_nothing()
    {
        var fundId = await Fund("IDEM-1");
        var deposit = new { reference = "IDEM-1-D", fundId, donor = "Donor", amount = Usd(1_000m), valueDate = "2024-02-01", transactionReference = "TX-IDEM-1-D" };

        var first = await Send("/api/contributions/deposits", deposit, "key-deposit-1");
        var events = await EventCount();
        var again = await Send("/api/contributions/deposits", deposit, "key-deposit-1");

        first.Status.ShouldBe(201);
        (again.Status, again.Body, again.Location, again.Replayed).ShouldBe((201, first.Body, first.Location, true));
        (await EventCount()).ShouldBe(events);
    }

    [Fact]
    public async Task the_same_key_with_a_different_body_is_a_conflict()
    {
        var fundId = await Fund("IDEM-2");
        await Send("/api/funds/" + fundId + "/interest", new { amount = Usd(10m), earnedOn = "2024-03-01" }, "key-interest-2");
        var events = await EventCount();

        var other = await Send("/api/funds/" + fundId + "/interest", new { amount = Usd(11m), earnedOn = "2024-03-01" }, "key-interest-2");

        other.Status.ShouldBe(409);
        other.Body.ShouldContain("Idempotency-Key already used");
        (await EventCount()).ShouldBe(events);
    }

    [Fact]
    public async Task a_retried_refusal_gets_the_same_refusal()
    {
        var fundId = await Fund("IDEM-3");
        await Send("/api/contributions/deposits", new { reference = "IDEM-3-R", fundId, donor = "Donor", amount = Usd(100m), valueDate = "2024-01-03", transactionReference = "TX-IDEM-3-R" }, "key-3-d");
        var contributionId = ContributionIds.For("IDEM-3-R");

        var first = await Send($"/api/contributions/{contributionId}/agreement-reductions",
            new { reduction = Usd(5m), reason = "over-recorded", reducedOn = "2024-01-05" }, "key-3-r");
        var again = await Send($"/api/contributions/{contributionId}/agreement-reductions",
            new { reduction = Usd(5m), reason = "over-recorded", reducedOn = "2024-01-05" }, "key-3-r");

        // A direct cash contribution has no agreement to reduce.
        first.Status.ShouldBe(422);
        (again.Status, WithoutTraceId(again.Body), again.Replayed).ShouldBe((422, WithoutTraceId(first.Body), true));
    }

    [Fact]
    public async Task a_create_retried_with_its_key_answers_as_the_first_time_not_with_a_conflict()
    {
        var body = new
        {
            code = "IDEM-4", name = "Created once", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
        };
        var first = await Send("/api/funds", body, "key-create-4");
        var again = await Send("/api/funds", body, "key-create-4");

        first.Status.ShouldBe(201);
        (again.Status, again.Body, again.Location).ShouldBe((201, first.Body, first.Location));
    }

    [Fact]
    public async Task a_concurrent_double_submit_with_one_key_records_one_deposit()
    {
        var fundId = await Fund("IDEM-5");
        using var client = app.Host.Server.CreateClient().Authorised("finance", Funding.Access.Roles.FinanceOfficer);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/contributions/deposits")
            {
                Content = JsonContent.Create(new { reference = "IDEM-5-D", fundId, donor = "Donor", amount = Usd(500m), valueDate = "2024-02-01", transactionReference = "TX-IDEM-5-D" }),
            };
            request.Headers.Add("Idempotency-Key", "key-double-5");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        })));

        statuses.ShouldAllBe(x => x == HttpStatusCode.Created || x == HttpStatusCode.Conflict);
        await using var session = app.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(ContributionIds.For("IDEM-5-D"));
        stream.Count.ShouldBe(1);
        (await session.LoadAsync<Contribution>(ContributionIds.For("IDEM-5-D")))!.Received.ShouldBe(500m);
    }
}
