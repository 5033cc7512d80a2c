using Alba;
using Funding.Funds;
using Funding.Tests.Infrastructure;

namespace Funding.Tests.Hosting;

public class PagingTests(FundingApp app) : IClassFixture<FundingApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var api = new LedgerApi(app.Host);
        foreach (var code in new[] { "PG-A", "PG-B", "PG-C" })
        {
            var fund = await api.Get<List<Fund>>("/api/funds?pageSize=500");
            if (fund.Any(x => x.Code == code)) continue;
            await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
            {
                code, name = code, kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
            }, 201);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task lists_come_in_pages_with_the_total_in_a_header()
    {
        var first = await app.Host.Scenario(s => s.Get.Url("/api/funds?page=1&pageSize=2"));
        first.ReadAsJson<List<Fund>>()!.Select(x => x.Code).ShouldBe(["PG-A", "PG-B"]);
        first.Context.Response.Headers["X-Total-Count"].ToString().ShouldBe("3");

        var second = await app.Host.Scenario(s => s.Get.Url("/api/funds?page=2&pageSize=2"));
        second.ReadAsJson<List<Fund>>()!.Select(x => x.Code).ShouldBe(["PG-C"]);
    }

    [Theory]
    [InlineData("/api/funds?pageSize=501")]
    [InlineData("/api/funds?page=0")]
    [InlineData("/api/funds?pageSize=abc")]
    [InlineData("/api/packages/status?pageSize=1000")]
    [InlineData("/api/contributions?page=-1")]
    public async Task a_page_out_of_bounds_is_a_bad_request(string url)
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(400);
        });
    }
}
