using System.Text;
using Alba;
using Funding.Tests.Infrastructure;
using Marten;

namespace Funding.Tests.Hosting;

/// <summary>Bodies no command can come from are refused before anything runs, and nothing is written.</summary>
public class RequestBodyTests(FundingApp app) : IClassFixture<FundingApp>
{
    async Task<IScenarioResult> PostRaw(string url, string body, int status, string contentType = "application/json") =>
        await app.Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", contentType);
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task a_field_the_command_does_not_have_is_refused()
    {
        var result = await PostRaw("/api/funds",
            """{"code":"X-1","name":"X","kind":"TrustFund","administrativeAgentFeePercent":1,"defaultIndirectCostPercent":7,"establishedOn":"2024-01-01","status":"FinanciallyClosed"}""",
            400);
        result.ReadAsText().ShouldContain("status");
        await NothingWritten();
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task an_empty_or_null_body_is_a_bad_request(string body)
    {
        var result = await PostRaw("/api/contributions/deposits", body, 400);
        result.ReadAsText().ShouldContain("A JSON object is required");
    }

    [Fact]
    public async Task an_oversized_body_is_refused()
    {
        var huge = "{\"name\":\"" + new string('x', 300 * 1024) + "\"}";
        await PostRaw("/api/funds", huge, 413);
        await NothingWritten();
    }

    [Fact]
    public async Task deeply_nested_json_is_refused()
    {
        var deep = new StringBuilder("{\"code\":");
        for (var i = 0; i < 40; i++) deep.Append("{\"a\":");
        deep.Append('1').Append('}', 41);
        await PostRaw("/api/funds", deep.ToString(), 400);
    }

    [Fact]
    public async Task cash_cannot_be_received_in_the_future()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new
            {
                reference = "FUT-1", fundId = Guid.NewGuid(), donor = "Donor", amount = new { amount = 10m, currency = "USD" }, valueDate = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"), transactionReference = "TX-FUT-1",
            }).ToUrl("/api/contributions/deposits");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsText().ShouldContain("Cash cannot be recorded as received on a future date.");
    }

    [Theory]
    [InlineData("1899-12-31")]
    [InlineData("2150-01-01")]
    [InlineData("2024-02-30")]
    [InlineData("01/02/2024")]
    public async Task a_date_out_of_range_or_not_a_date_is_refused_with_its_path(string date)
    {
        var result = await PostRaw("/api/funds",
            $$"""{"code":"D-1","name":"D","kind":"TrustFund","administrativeAgentFeePercent":1,"defaultIndirectCostPercent":7,"establishedOn":"{{date}}"}""", 400);
        result.ReadAsText().ShouldContain("establishedOn");
        await NothingWritten();
    }

    async Task NothingWritten()
    {
        await using var session = app.Store.QuerySession();
        (await session.Events.QueryAllRawEvents().CountAsync()).ShouldBe(0);
    }
}
