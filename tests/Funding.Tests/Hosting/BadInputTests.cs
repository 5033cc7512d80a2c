using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Funding.Tests.Hosting.Fuzzing;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Funding.Tests.Hosting;

/// <summary>
/// The requests that once answered 500, and what a client gets for each kind of bad input instead: a 400 naming the
/// field (404 for an id that names nothing), nothing written, one line in the log at Information.
/// </summary>
public class BadInputTests(BadInputApp app) : IClassFixture<BadInputApp>
{
    [Theory]
    [InlineData("/api/funds/00000000-0000-0000-0000-000000000000/interest", """{"amount":{"amount":1,"currency":"USD"},"earnedOn":"2024-03-01"}""", "fundId")]
    [InlineData("/api/funds/00000000-0000-0000-0000-000000000000/appropriations", """{"year":2024,"amount":{"amount":1,"currency":"USD"},"reference":"A/RES/1","appropriatedOn":"2024-01-02"}""", "fundId")]
    [InlineData("/api/contributions/00000000-0000-0000-0000-000000000000/agreement-reductions", """{"reduction":{"amount":1,"currency":"NOK"},"reason":"r","reducedOn":"2024-06-01"}""", "contributionId")]
    public async Task the_empty_id_names_no_stream_and_answers_404_naming_the_field(string url, string body, string field)
    {
        var (status, problem) = await Send(HttpMethod.Post, url, body);
        status.ShouldBe(HttpStatusCode.NotFound);
        Errors(problem).ShouldBe([$"{field}: Unknown {field[..^2]}."]);
        problem.GetProperty("detail").GetString().ShouldBe($"There is no {field[..^2]} with the id {Guid.Empty}.");
    }

    [Fact]
    public async Task a_stream_that_does_not_exist_answers_404_naming_it()
    {
        var (status, problem) = await Send(HttpMethod.Post, $"/api/funds/{Guid.NewGuid()}/interest", """{"amount":{"amount":1,"currency":"USD"},"earnedOn":"2024-03-01"}""");
        status.ShouldBe(HttpStatusCode.NotFound);
        Fields(problem).ShouldBe(["fundId"]);
    }

    [Fact]
    public async Task a_malformed_id_in_the_route_is_a_400_naming_it()
    {
        var (status, problem) = await Send(HttpMethod.Get, "/api/packages/not-an-id/status");
        status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(problem).ShouldBe(["packageId: 'not-an-id' is not a package id: ids are UUIDs such as 6deb9e44-12d8-5ce4-92ed-5051cfd13c33."]);
    }

    [Theory]
    [InlineData("/api/rates/csv?kind=-1&reference=R")]
    [InlineData("/api/rates/csv?kind=7&reference=R")]
    [InlineData("/api/rates/csv?kind=Weekly&reference=R")]
    public async Task an_unknown_enum_value_in_the_query_lists_the_allowed_ones(string url)
    {
        var (status, problem) = await Send(HttpMethod.Post, url, "effective_date,currency,units_per_usd\n2024-06-01,EUR,0.92\n", "text/csv");
        status.ShouldBe(HttpStatusCode.BadRequest);
        var kind = url.Split("kind=")[1].Split('&')[0];
        Errors(problem).ShouldBe([$"kind: '{kind}' is not one of Monthly, MidMonth."]);
    }

    [Theory]
    [InlineData("/api/packages/time-to-funding?country=C%00F", "country")]
    [InlineData("/api/donors/statement.csv?donor=Nor%00way", "donor")]
    [InlineData("/api/contributions?donor=%1B%5B31m", "donor")]
    [InlineData("/api/audit/events?user=%7F", "user")]
    public async Task a_control_character_in_a_query_value_is_a_400_naming_it(string url, string field)
    {
        var (status, problem) = await Send(HttpMethod.Get, url);
        status.ShouldBe(HttpStatusCode.BadRequest);
        Fields(problem).ShouldBe([field]);
    }

    [Theory]
    [InlineData("""{"reference":"A\u0000B","fundId":"FUND","donor":"D","amount":{"amount":1,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T"}""", "reference", "A NUL character (U+0000) is not allowed.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D\nE","amount":{"amount":1,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T"}""", "donor", "The control character U+000A is not allowed: this field takes one line of text.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"\ud800","amount":{"amount":1,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T"}""", "donor", "This is not valid UTF-8 text.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D","amount":{"amount":1,"currency":"USD","amount":2},"valueDate":"2024-03-01","transactionReference":"T"}""", "amount.amount", "This field is given more than once: give it once.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D","amount":{"amount":true,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T"}""", "amount.amount", "Expected a number.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D","amount":{"amount":1,"currency":"USD"},"valueDate":"2101-01-01","transactionReference":"T"}""", "valueDate", "Expected a date as yyyy-MM-dd between 1945-10-24 and 2100-12-31.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D","amount":{"amount":1e30,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T"}""", "amount.amount", "Expected a number.")]
    [InlineData("""{"reference":"AB","fundId":"FUND","donor":"D","amount":{"amount":1,"currency":"USD"},"valueDate":"2024-03-01","transactionReference":"T","status":"x"}""", "status", "This field is not part of the request: leave it out.")]
    public async Task bad_text_or_json_in_a_body_is_a_400_naming_the_field(string body, string field, string message)
    {
        var (status, problem) = await Send(HttpMethod.Post, "/api/contributions/deposits", body.Replace("FUND", app.FundId.ToString(), StringComparison.Ordinal));
        status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(problem).ShouldBe([$"{field}: {message}"]);
    }

    [Fact]
    public async Task an_amount_larger_than_any_ledger_could_hold_is_refused_before_it_overflows_a_sum()
    {
        var (status, problem) = await Send(HttpMethod.Post, $"/api/funds/{app.FundId}/interest", """{"amount":{"amount":79228162514264337593543950335,"currency":"USD"},"earnedOn":"2024-03-01"}""");
        status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(problem).ShouldBe(["amount.amount: The amount may be at most 1,000,000,000,000,000."]);
    }

    [Fact]
    public async Task a_nul_in_a_csv_cell_is_refused_naming_its_line_and_column()
    {
        var csv = $"reference,fund_code,donor,amount,currency,value_date,transaction_reference\nBI-1,BI-TF,Don\0or,10.00,USD,2024-03-01,TX-BI-1-1\n";
        var (status, problem) = await Send(HttpMethod.Post, "/api/contributions/imports/deposits", csv, "text/csv");
        status.ShouldBe(HttpStatusCode.BadRequest);
        Errors(problem).ShouldBe(["line 2: donor: A NUL character (U+0000) is not allowed."]);
    }

    [Theory]
    [InlineData("Idempotency-Key", "k\u0001ey")]
    [InlineData("Idempotency-Key", "ключ")]
    [InlineData("X-Correlation-Id", "a-correlation-id-that-goes-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on-and-on")]
    public async Task a_header_that_would_be_stored_must_be_printable_and_short(string header, string value)
    {
        var (status, problem) = await Send(HttpMethod.Post, $"/api/funds/{app.FundId}/interest", """{"amount":{"amount":1,"currency":"USD"},"earnedOn":"2024-03-01"}""",
            headers: [new(header, value)]);
        status.ShouldBe(HttpStatusCode.BadRequest);
        Fields(problem).ShouldBe([header]);
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_a_415_with_a_problem()
    {
        var (status, problem) = await Send(HttpMethod.Post, "/api/contributions/deposits", "reference=x", "application/x-www-form-urlencoded");
        status.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        problem.GetProperty("status").GetInt32().ShouldBe(415);
    }

    [Fact]
    public async Task a_burst_of_malformed_requests_logs_one_information_line_each_and_nothing_at_error()
    {
        var before = app.Logged.Count;
        for (var i = 0; i < 30; i++)
        {
            await Send(HttpMethod.Post, "/api/contributions/deposits", (i % 3) switch
            {
                0 => "{\"reference\":",
                1 => """{"reference":"A","amount":{"amount":"lots"}}""",
                _ => """{"reference":"A\u0000"}""",
            }, headers: [new("X-Correlation-Id", $"burst-{i}")]);
        }

        var lines = app.Logged.Skip(before).Where(x => x.Category == "Funding.Hosting.Input.ClientErrors.Log").ToList();
        lines.Count.ShouldBe(30);
        lines.ShouldAllBe(x => x.Level == LogLevel.Information && x.Exception == null);
        lines[0].Message.ShouldBe("Refused POST /api/contributions/deposits with 400: body (correlation burst-0)");
        lines[1].Message.ShouldBe("Refused POST /api/contributions/deposits with 400: amount.amount (correlation burst-1)");
        lines[2].Message.ShouldBe("Refused POST /api/contributions/deposits with 400: reference (correlation burst-2)");
        app.Logged.Skip(before).Where(x => x.Level >= LogLevel.Error).ShouldBeEmpty();
        app.Logged.Skip(before).Where(x => x.Level >= LogLevel.Warning).ShouldBeEmpty();
    }

    [Fact]
    public async Task no_refused_request_of_these_wrote_an_event()
    {
        await using var source = NpgsqlDataSource.Create(app.ConnectionString);
        await using var command = source.CreateCommand("select count(*) from funding.mt_events");
        var before = (long)(await command.ExecuteScalarAsync())!;
        await Send(HttpMethod.Post, $"/api/funds/{Guid.Empty}/interest", """{"amount":{"amount":1,"currency":"USD"},"earnedOn":"2024-03-01"}""");
        await Send(HttpMethod.Post, "/api/rates/csv?kind=-1&reference=R", "effective_date,currency,units_per_usd\n2024-06-01,EUR,0.92\n", "text/csv");
        await Send(HttpMethod.Post, "/api/contributions/imports/deposits", "reference,fund_code,donor,amount,currency,value_date,transaction_reference\nBI-2,BI-TF,D\0,10.00,USD,2024-03-01,TX-BI-2-1\n", "text/csv");
        ((long)(await command.ExecuteScalarAsync())!).ShouldBe(before);
    }

    async Task<(HttpStatusCode Status, JsonElement Problem)> Send(
        HttpMethod method, string url, string? body = null, string contentType = "application/json", KeyValuePair<string, string>[]? headers = null)
    {
        using var client = app.Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.Token("tester", Funding.Access.Roles.All));
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(request);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Each field of the problem with each thing wrong with it, as "field: message".</summary>
    static List<string> Errors(JsonElement problem) =>
        problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!.SelectMany(x => x.Value.Select(message => $"{x.Key}: {message}")).ToList();

    static List<string> Fields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(x => x.Name).ToList();
}

/// <summary>A service with one fund, keeping every log entry.</summary>
public sealed class BadInputApp : FundingApp
{
    readonly List<(string Category, LogLevel Level, string Message, Exception? Exception)> logged = [];

    public Guid FundId { get; private set; }

    public IReadOnlyList<(string Category, LogLevel Level, string Message, Exception? Exception)> Logged
    {
        get
        {
            lock (logged) return logged.ToList();
        }
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<ILoggerProvider>(new ListLog((category, level, message, exception) =>
        {
            lock (logged) logged.Add((category, level, message, exception));
        }));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var fund = await new LedgerApi(Host).Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "BI-TF", name = "Bad input trust fund", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201);
        FundId = fund.FundId;
    }
}
