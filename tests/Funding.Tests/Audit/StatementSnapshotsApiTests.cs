using System.Text;
using System.Text.Json;
using Alba;
using Funding.Audit.Replay;
using Funding.Hosting;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Audit;

/// <summary>
/// The fund statement and trial balance as at a date and as known on a day, over HTTP, from the snapshots the service
/// keeps: deposits imported over several recording days (enough for the chain to be cut at each day's end), interest
/// dated back, November closed, reopened for a deposit dated back into it and closed again, and December's close
/// lapsing a regular budget's appropriation. Every report, for every date and day asked, is the fold of every event;
/// a few are checked to the cent, and the snapshots kept are the ones the rules say.
/// </summary>
public class StatementSnapshotsApiTests(StatementSnapshotsApiTests.ClockedLedger app) : IClassFixture<StatementSnapshotsApiTests.ClockedLedger>
{
    public sealed class ClockedLedger : FundingApp
    {
        public MovableClock Clock { get; } = new();

        protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    readonly LedgerApi api = new(app.Host);

    void ClockAt(int year, int month, int day) => app.Clock.Now = new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero);

    /// <summary>60 deposits of USD 1,000.00 to 1,059.00 (61,770.00; with the 1% fee, 120 events), dated from <paramref name="valueDate"/> on.</summary>
    async Task Deposits(string batch, string valueDate, int spreadDays = 1)
    {
        var csv = new StringBuilder("reference,fund_code,donor,amount,currency,value_date,transaction_reference\n");
        var first = NodaTime.LocalDate.FromDateTime(DateTime.Parse(valueDate, System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < 60; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{batch}-{i},SNAP-BF,Donor {i % 7},{1000 + i}.00,USD,{first.PlusDays(i % spreadDays):yyyy-MM-dd},TX-{batch}-{i}\n");
        await app.Host.Scenario(s =>
        {
            s.Post.Text(csv.ToString()).ContentType("text/csv").ToUrl("/api/contributions/imports/deposits");
            s.StatusCodeShouldBeOk();
        });
    }

    async Task Close(string month)
    {
        await api.PostAs("fin-1", "/api/periods/closings", new { month });
        await api.PostAs("fin-2", "/api/periods/closings/confirmation", new { });
    }

    [Fact]
    public async Task every_report_from_the_snapshots_is_the_fold_of_every_event_across_days_closes_and_a_reopening()
    {
        ClockAt(2024, 11, 4);
        var basket = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "SNAP-BF", name = "Snapshot basket fund", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1,
            defaultIndirectCostPercent = 7, establishedOn = "2024-01-02",
        }, 201)).FundId;
        var budget = (await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "SNAP-RB", name = "Snapshot regular budget", kind = "RegularBudget", administrativeAgentFeePercent = 0,
            defaultIndirectCostPercent = 0, establishedOn = "2024-01-02",
        }, 201)).FundId;
        await api.Record($"/api/funds/{budget}/appropriations", new { year = 2024, amount = Usd(1_000_000m), reference = "A/RES/78/253", appropriatedOn = "2024-01-02" });
        await Deposits("D1", "2024-11-01", spreadDays: 4);
        ClockAt(2024, 11, 5);
        await Deposits("D2", "2024-11-05");
        await api.Record($"/api/funds/{basket}/interest", new { amount = Usd(1_000m), earnedOn = "2024-10-31" });

        ClockAt(2024, 12, 2);
        await Close("2024-11");
        await Deposits("D3", "2024-12-02");
        // As at November's end, as known now: the month-end snapshot of the first close.
        (await Balance(basket, "?asAt=2024-11-30")).ShouldBe((123_540m, 1_000m, 1_235.40m, 123_304.60m));

        ClockAt(2024, 12, 3);
        await api.PostAs("admin-1", "/api/periods/reopenings", new { month = "2024-11", reason = "A November payment was found on the bank statement" });
        await api.Record("/api/contributions/deposits", new
        {
            reference = "D-LATE", fundId = basket, donor = "Donor L", amount = Usd(5_000m), valueDate = "2024-11-20", transactionReference = "TX-D-LATE",
        }, 201);
        // November open again: the snapshot of its first close no longer bounds the read, and the late deposit is in.
        (await Balance(basket, "?asAt=2024-11-30")).ShouldBe((128_540m, 1_000m, 1_285.40m, 128_254.60m));
        await Close("2024-11");
        ClockAt(2024, 12, 4);
        await api.Record($"/api/funds/{basket}/interest", new { amount = Usd(250m), earnedOn = "2024-12-04" });

        ClockAt(2025, 1, 6);
        await Close("2024-12");
        ClockAt(2025, 1, 7);
        await api.Record($"/api/funds/{budget}/appropriations", new { year = 2025, amount = Usd(300_000m), reference = "A/RES/79/248", appropriatedOn = "2025-01-07" });

        // To the cent, as the reports were known on each day.
        (await Balance(basket, "?knownOn=2024-11-04")).ShouldBe((61_770m, 0m, 617.70m, 61_152.30m));
        (await Balance(basket, "?asAt=2024-10-31&knownOn=2024-11-05")).ShouldBe((0m, 1_000m, 0m, 1_000m));
        (await Balance(basket, "?asAt=2024-11-30&knownOn=2024-12-02")).ShouldBe((123_540m, 1_000m, 1_235.40m, 123_304.60m));
        (await Balance(basket, "?asAt=2024-11-30&knownOn=2024-12-03")).ShouldBe((128_540m, 1_000m, 1_285.40m, 128_254.60m));
        (await Balance(basket, "?asAt=2024-11-30")).ShouldBe((128_540m, 1_000m, 1_285.40m, 128_254.60m));
        (await Balance(basket, "?knownOn=2025-01-07")).ShouldBe((190_310m, 1_250m, 1_903.10m, 189_656.90m));
        var lapsed = await api.Get<FundStatementReport>($"/api/funds/{budget}/statement?asAt=2024-12-31&knownOn=2025-01-07");
        (lapsed.OtherIncome, lapsed.AppropriationsLapsed, lapsed.TotalSources).ShouldBe((1_000_000m, 1_000_000m, 0m));
        var beforeTheClose = await api.Get<FundStatementReport>($"/api/funds/{budget}/statement?asAt=2024-12-31&knownOn=2025-01-05");
        (beforeTheClose.OtherIncome, beforeTheClose.AppropriationsLapsed, beforeTheClose.TotalSources).ShouldBe((1_000_000m, 0m, 1_000_000m));

        // Every date and day asked, over HTTP, against the fold of every event.
        string?[] dates = [null, "2024-10-31", "2024-11-04", "2024-11-20", "2024-11-30", "2024-12-02", "2024-12-31", "2025-01-07"];
        string?[] days = [null, "2024-11-03", "2024-11-04", "2024-11-05", "2024-12-02", "2024-12-03", "2024-12-04", "2025-01-05", "2025-01-07"];
        foreach (var fund in new[] { basket, budget })
        foreach (var asAt in dates)
        foreach (var knownOn in days)
        {
            var query = string.Join("&", new[] { asAt is null ? null : $"asAt={asAt}", knownOn is null ? null : $"knownOn={knownOn}" }.OfType<string>());
            await ShouldBeTheFoldOfEveryEvent(fund, query, new ReportCut(Day(asAt), Day(knownOn)));
        }

        // The chain is cut after the last event of each day with at least 100 of the basket's events since the cut before.
        var (chain, monthEnds) = await Kept(basket);
        chain.ShouldBe(await LastEventOfEachDay(basket, "2024-11-04", "2024-11-05", "2024-12-02"));
        // November's end twice (its first close, then its close after the reopening), October's (closed by the first close) and December's.
        monthEnds.Select(x => x.AsAt).ShouldBe(["2024-10-31", "2024-11-30", "2024-11-30", "2024-12-31"]);
        (await Kept(budget)).Chain.ShouldBeEmpty("a fund with a few events is not cut");
    }

    async Task<(decimal Contributions, decimal Interest, decimal Fees, decimal Balance)> Balance(Guid fund, string query)
    {
        var s = await api.Get<FundStatementReport>($"/api/funds/{fund}/statement{query}");
        return (s.Contributions, s.Interest, s.AdministrativeAgentFees, s.BalanceWithAdministrativeAgent);
    }

    async Task ShouldBeTheFoldOfEveryEvent(Guid fund, string query, ReportCut cut)
    {
        await using var session = app.Store.QuerySession();
        var folded = await HistoricalStatements.ForFundFromEveryEvent(session, fund, cut, CancellationToken.None);
        var because = $"{fund} {query}";
        var statement = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/funds/{fund}/statement?{query}");
            s.StatusCodeShouldBe(folded.FundStatements.ContainsKey(fund) ? 200 : 404);
        });
        if (folded.FundStatements.TryGetValue(fund, out var expected))
            statement.ReadAsJson<FundStatementReport>().ShouldBe(FundStatementReport.From(expected), because);
        var balance = await api.Get<TrialBalanceReport>($"/api/funds/{fund}/trial-balance?{query}");
        JsonSerializer.Serialize(balance, Json).ShouldBe(JsonSerializer.Serialize(TrialBalanceReport.From(fund, folded.TrialBalances.GetValueOrDefault(fund)), Json), because);
    }

    static NodaTime.LocalDate? Day(string? text) =>
        text is null ? null : NodaTime.LocalDate.FromDateTime(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The fund's kept snapshots: the chain's cuts (their last event), and those as at a month's end.</summary>
    async Task<(List<long> Chain, List<(string AsAt, long UpTo)> MonthEnds)> Kept(Guid fund)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select up_to, as_at::text from {LedgerStore.Schema}.{FundSnapshotSchema.Table} where fund_id = @fund order by as_at, up_to", connection);
        command.Parameters.AddWithValue("fund", fund);
        var (chain, monthEnds) = (new List<long>(), new List<(string, long)>());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (reader.GetString(1) == "infinity") chain.Add(reader.GetInt64(0));
            else monthEnds.Add((reader.GetString(1), reader.GetInt64(0)));
        }

        return (chain, monthEnds);
    }

    async Task<List<long>> LastEventOfEachDay(Guid fund, params string[] days)
    {
        await using var session = app.Store.QuerySession();
        var events = await HistoricalStatements.FundEvents(session, fund, null, CancellationToken.None);
        return days.Select(day => events.Where(x => $"{x.RecordedAt.InUtc().Date:yyyy-MM-dd}" == day).Max(x => x.Sequence)).ToList();
    }
}
