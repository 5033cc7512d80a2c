using Alba;
using Funding.Funds;
using Funding.Funds.Establishing;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NodaTime;

namespace Funding.Tests.Funds;

public class EstablishFundApiTests(FundingApp app) : IClassFixture<FundingApp>
{
    static object Body(string code) => new
    {
        code,
        name = "Electoral assistance trust fund",
        kind = "TrustFund",
        administrativeAgentFeePercent = 1,
        defaultIndirectCostPercent = 7,
        eligibleCountries = new[] { "NP", "CF" },
        establishedOn = "2015-03-01",
    };

    [Fact]
    public async Task an_established_fund_reads_back_whole()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(Body("EAD-TF")).ToUrl("/api/funds");
            s.StatusCodeShouldBe(201);
        });
        var created = result.ReadAsJson<FundCreated>()!;
        var fundId = FundIds.For("EAD-TF");
        created.ShouldBe(new FundCreated(fundId, "EAD-TF"));
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/funds/{fundId}");

        var fund = (await app.Host.GetAsJson<Fund>($"/api/funds/{fundId}"))!;

        fund.ShouldBeEquivalentTo(new Fund(
            fundId, "EAD-TF", "Electoral assistance trust fund", FundKind.TrustFund, 1m, 7m, new List<string> { "CF", "NP" },
            new LocalDate(2015, 3, 1), FundStatus.Open) { Version = 1 });
    }

    [Fact]
    public async Task the_event_is_stored_with_its_business_date_as_an_iso_date()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(Body("PBF-NP")).ToUrl("/api/funds");
            s.StatusCodeShouldBe(201);
        });

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select type, data ->> 'establishedOn', data ->> 'kind' from funding.mt_events where stream_id = $1", connection)
        {
            Parameters = { new() { Value = FundIds.For("PBF-NP") } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        (reader.GetString(0), reader.GetString(1), reader.GetString(2)).ShouldBe(("fund_established", "2015-03-01", "TrustFund"));
        (await reader.ReadAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task establishing_the_same_code_twice_is_a_conflict_and_appends_nothing()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(Body("UNDEF")).ToUrl("/api/funds");
            s.StatusCodeShouldBe(201);
        });

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(Body("UNDEF")).ToUrl("/api/funds");
            s.StatusCodeShouldBe(409);
        });

        result.ReadAsJson<ProblemDetails>()!.Title.ShouldBe("Conflict");
        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(FundIds.For("UNDEF"));
        events.Count.ShouldBe(1);
    }

    [Fact]
    public async Task invalid_input_names_each_field_and_writes_nothing()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { code = "bad code", kind = "TrustFund", administrativeAgentFeePercent = 101, eligibleCountries = new[] { "ZZ" } })
                .ToUrl("/api/funds");
            s.StatusCodeShouldBe(400);
        });

        var problem = result.ReadAsJson<ValidationProblemDetails>()!;
        problem.Errors.Keys.Order().ShouldBe([
            "administrativeAgentFeePercent", "code", "defaultIndirectCostPercent", "eligibleCountries[0]", "establishedOn", "name",
        ]);
        await using var session = app.Store.QuerySession();
        (await session.Events.QueryAllRawEvents().Where(x => x.EventTypeName == "fund_established").CountAsync())
            .ShouldBe(await session.Query<Fund>().CountAsync());
        (await session.Query<Fund>().AnyAsync(x => x.Code == "bad code")).ShouldBeFalse();
    }

    [Fact]
    public async Task an_unknown_kind_is_a_bad_request_not_a_server_error()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { code = "X-1", kind = "PiggyBank" }).ToUrl("/api/funds");
            s.StatusCodeShouldBe(400);
        });
    }

    [Fact]
    public async Task an_unknown_fund_is_not_found()
    {
        await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(404);
        });
    }
}
