using System.Text;
using System.Text.Json;
using Alba;
using Funding.Contributions;
using Funding.Importing;
using Funding.Hosting;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Contributions;

/// <summary>A ledger with the EUR rates of March and April 2024, for importing into.</summary>
public sealed class ImportApp : FundingApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var api = new LedgerApi(Host);
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-03-01", kind = "Monthly", reference = "UNORE 2024-03", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.920m } } });
        await api.Post<object>("/api/rates", new { effectiveOn = "2024-04-01", kind = "Monthly", reference = "UNORE 2024-04", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.935m } } });
    }
}

/// <summary>CSV imports over HTTP and on the command line: every bad row named, all or nothing, never twice, to the cent.</summary>
public class ImportTests(ImportApp app) : IClassFixture<ImportApp>
{
    static readonly JsonSerializerOptions Json = CreateJson();
    readonly LedgerApi api = new(app.Host);

    async Task<Guid> Fund(string code)
    {
        var created = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code, name = $"Fund {code}", kind = "MultiPartnerBasketFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            eligibleCountries = new[] { "CF" }, establishedOn = "2024-01-15",
        }, 201);
        return created.FundId;
    }

    async Task<int> EventCount()
    {
        await using var session = app.Store.QuerySession();
        // Marten's tombstones fill the sequence numbers a failed write had reserved: not facts of the ledger.
        return await session.Events.QueryAllRawEvents().Where(x => x.EventTypeName != "tombstone").CountAsync();
    }

    async Task<(int Status, JsonElement Body)> Import(string kind, string csv, bool? dryRun = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            var post = s.Post.Text(csv).ContentType("text/csv");
            post.ToUrl($"/api/contributions/imports/{kind}");
            if (dryRun is { } dry) post.QueryString("dryRun", dry ? "true" : "false");
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, result.ReadAsJson<JsonElement>());
    }

    static Dictionary<string, string[]> Errors(JsonElement problem) => problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>(Json)!;

    /// <summary>Each problem as "key: message", in the answer's order.</summary>
    static List<string> Problems(JsonElement problem) => Errors(problem).SelectMany(x => x.Value.Select(m => $"{x.Key}: {m}")).ToList();

    [Fact]
    public async Task a_dry_run_names_every_bad_row_by_line_and_column_and_writes_nothing()
    {
        await Fund("IMP-DRY");
        var before = await EventCount();
        const string csv = """
            reference,fund_code,donor,amount,currency,value_date,rate,rate_override_reason,transaction_reference
            DRY-1,IMP-DRY,Norway,1000.00,EUR,2024-04-10,,,TX-DRY-1-1
            DRY-2,IMP-DRY,Norway,"1,000.00",EUR,2024-04-10,,,TX-DRY-2-2
            DRY-3,IMP-DRY,Norway,1000,eur,2024-04-10,,,TX-DRY-3-3
            DRY-4,NO-SUCH-FUND,Norway,1000,EUR,2024-04-10,,,TX-DRY-4-4
            DRY-5,IMP-DRY,Sweden,10.001,USD,2024-04-10,,,TX-DRY-5-5
            DRY-6,IMP-DRY,Sweden,10,USD,2024-13-01,,,TX-DRY-6-6
            DRY-7,IMP-DRY,Japan,5000,JPY,2024-04-10,,,TX-DRY-7-7
            DRY-8,IMP-DRY,Japan,1,000,JPY,2024-04-10,,,TX-DRY-8-8
            DRY-9,IMP-DRY,,-5,EUR,2024-04-10,0.9,,TX-DRY-9-9

            """;

        var (status, problem) = await Import("deposits", csv, dryRun: true);

        status.ShouldBe(400);
        var errors = Errors(problem);
        errors.Keys.ShouldBe([
            "line 3: amount", "line 4: currency", "line 5: fund_code", "line 6: amount", "line 7: value_date", "line 8: rate",
            "line 9: row", "line 10: donor", "line 10: amount", "line 10: rate_override_reason",
        ], ignoreOrder: true);
        errors["line 3: amount"].ShouldBe(["'1,000.00' is not a number like 1000.50 (a point for decimals, no thousands separators)."]);
        errors["line 5: fund_code"].ShouldBe(["No fund has the code 'NO-SUCH-FUND'."]);
        errors["line 6: amount"].ShouldBe(["USD amounts have at most 2 decimal places; 10.001 has more."]);
        errors["line 8: rate"].Single().ShouldStartWith("no-rate-in-force: No UN operational rate for JPY is in force on 2024-04-10");
        errors["line 10: amount"].ShouldBe(["The amount must be greater than zero."]);
        problem.GetProperty("detail").GetString().ShouldBe("8 bad row(s) in the deposits file; nothing written.");
        (await EventCount()).ShouldBe(before);

        // The good row alone passes the dry run, which says what would be recorded and still writes nothing.
        var (clean, answer) = await Import("deposits", string.Join('\n', csv.Split('\n').Take(2)), dryRun: true);
        clean.ShouldBe(200);
        var summary = answer.GetProperty("summary").Deserialize<ImportSummary>(Json)!;
        (answer.GetProperty("outcome").GetString(), summary.Rows, summary.Events, summary.TotalUsd, summary.FeesUsd)
            .ShouldBe(("Checked", 1, 2, 1_069.52m, 10.70m));
        summary.Totals.ShouldBe([new CurrencyTotal("EUR", 1_000m, 1_069.52m)]);
        (await EventCount()).ShouldBe(before);
    }

    [Fact]
    public async Task a_real_run_with_one_bad_row_writes_nothing_at_all()
    {
        await Fund("IMP-ONEBAD");
        var before = await EventCount();
        const string csv = """
            reference,fund_code,donor,amount,currency,signed_on
            ONEBAD-1,IMP-ONEBAD,Norway,1000000,EUR,2024-03-05
            ONEBAD-2,IMP-ONEBAD,Sweden,250000,USD,05/03/2024
            ONEBAD-3,IMP-ONEBAD,Denmark,50000,USD,2024-03-06
            """;

        var (status, problem) = await Import("agreements", csv);

        status.ShouldBe(400);
        Problems(problem).ShouldBe(["line 3: signed_on: '05/03/2024' is not a date (yyyy-MM-dd)."]);
        (await EventCount()).ShouldBe(before);
        await using var session = app.Store.QuerySession();
        (await session.LoadAsync<Contribution>(ContributionIds.For("ONEBAD-1"))).ShouldBeNull();
    }

    [Fact]
    public async Task a_clean_file_records_every_row_to_the_cent_once_and_the_same_file_again_writes_nothing()
    {
        var fundId = await Fund("IMP-CLEAN");
        const string agreements = """
            reference,fund_code,donor,amount,currency,signed_on
            CLEAN-1,IMP-CLEAN,Norway,1000000.00,EUR,2024-03-05
            CLEAN-2,IMP-CLEAN,Sweden,250000,USD,2024-03-06
            """;
        // Line 3 sees line 2: only EUR 300,000 of its 500,000 settles what is left of the receivable.
        const string deposits = """
            reference,fund_code,donor,amount,currency,value_date,rate,rate_override_reason,transaction_reference
            CLEAN-1,IMP-CLEAN,Norway,700000,EUR,2024-04-10,,,TX-CLEAN-1-1
            CLEAN-1,IMP-CLEAN,Norway,500000,EUR,2024-04-10,,,TX-CLEAN-1-2
            CLEAN-3,IMP-CLEAN,Japan,1000000,JPY,2024-04-12,150.5,Rate in the signed agreement,TX-CLEAN-3-3
            """;
        var before = await EventCount();

        var (signed, signedAnswer) = await Import("agreements", agreements);
        signed.ShouldBe(200, signedAnswer.ToString());
        (await EventCount()).ShouldBe(before + 2);
        var (received, receivedAnswer) = await Import("deposits", deposits);
        received.ShouldBe(200, receivedAnswer.ToString());
        (await EventCount()).ShouldBe(before + 2 + 6); // three deposits and their three fees

        var summary = receivedAnswer.GetProperty("summary").Deserialize<ImportSummary>(Json)!;
        (summary.Rows, summary.Events, summary.TotalUsd, summary.FeesUsd).ShouldBe((3, 6, 1_290_066.98m, 12_900.67m));
        summary.Totals.ShouldBe([new CurrencyTotal("EUR", 1_200_000m, 1_283_422.46m), new CurrencyTotal("JPY", 1_000_000m, 6_644.52m)]);

        var statement = await api.Get<FundStatementReport>($"/api/funds/{fundId}/statement");
        (statement.Contributions, statement.AdministrativeAgentFees, statement.BalanceWithAdministrativeAgent,
                statement.ReceivablesOutstanding, statement.RealisedExchangeGainsAndLosses)
            .ShouldBe((1_290_066.98m, 12_900.67m, 1_277_166.31m, 250_000.00m, -17_437.81m));
        await api.TrialBalanceShouldBeZero(fundId);
        var norway = await api.Get<Contribution>($"/api/contributions/{ContributionIds.For("CLEAN-1")}");
        (norway.Signed, norway.SignedUsd, norway.Received, norway.ReceivedUsd, norway.Receivable, norway.ReceivableUsd, norway.ExchangeDifferences)
            .ShouldBe((1_000_000m, 1_086_956.52m, 1_200_000m, 1_283_422.46m, 0m, 0m, -17_437.81m));

        // The same bytes again: answered from the remembered digest, nothing written.
        var (again, againAnswer) = await Import("deposits", deposits);
        again.ShouldBe(200);
        againAnswer.GetProperty("outcome").GetString().ShouldBe("AlreadyImported");
        againAnswer.GetProperty("message").GetString()!.ShouldMatch(@"^This file was already imported on \d{4}-\d\d-\d\d \d\d:\d\d UTC by tester: 3 deposits, nothing written\.$");
        (await EventCount()).ShouldBe(before + 8);

        // An overlapping file of agreements is refused by the decider: a reference takes one agreement.
        var (overlap, refused) = await Import("agreements", agreements + "\nCLEAN-4,IMP-CLEAN,Denmark,10,USD,2024-03-07");
        overlap.ShouldBe(422);
        Errors(refused).Keys.ShouldBe(["line 2: reference", "line 3: reference"]);
        Errors(refused)["line 2: reference"].Single().ShouldStartWith("agreement-already-signed: ");
        (await EventCount()).ShouldBe(before + 8);
    }

    [Fact]
    public async Task every_imported_event_says_who_imported_which_file_and_line()
    {
        await Fund("IMP-META");
        const string csv = "reference,fund_code,donor,amount,currency,pledged_on\nMETA-1,IMP-META,Norway,100,USD,2024-02-01\nMETA-2,IMP-META,Norway,200,USD,2024-02-02\n";
        var (status, answer) = await Import("pledges", csv);
        status.ShouldBe(200, answer.ToString());

        await using var session = app.Store.QuerySession();
        var second = (await session.Events.FetchStreamAsync(ContributionIds.For("META-2"))).Single();
        second.Data.ShouldBeOfType<PledgeRecorded>();
        second.UserName.ShouldBe(TestAuth.User);
        second.CorrelationId.ShouldNotBeNullOrEmpty();
        second.Headers![LedgerImport.ImportHeader].ToString().ShouldBe(LedgerImport.Digest(Encoding.UTF8.GetBytes(csv)));
        second.Headers[LedgerImport.LineHeader].ToString().ShouldBe("3");
        second.Headers.ShouldContainKey("businessDate");
        second.Headers["roles"].ToString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task a_pledge_file_sees_its_own_earlier_rows_and_names_packages_and_funds_by_code()
    {
        await Fund("IMP-PLEDGE");
        var before = await EventCount();
        const string csv = """
            reference,fund_code,donor,amount,currency,pledged_on,earmarked_package_code
            PLEDGE-1,IMP-PLEDGE,Norway,100,USD,2024-02-01,
            PLEDGE-1,IMP-PLEDGE,Norway,100,USD,2024-02-01,
            PLEDGE-2,IMP-PLEDGE,Norway,100,USD,2024-02-01,NO-SUCH-PACKAGE
            """;

        var (status, problem) = await Import("pledges", csv);

        status.ShouldBe(400);
        Problems(problem).ShouldBe([
            "line 3: reference: pledge-already-recorded: This contribution already has a pledge or an agreement; reduce it or sign instead.",
            "line 4: earmarked_package_code: No package has the code 'NO-SUCH-PACKAGE'.",
        ]);
        (await EventCount()).ShouldBe(before);

        var (unknown, kindProblem) = await Import("refunds", csv);
        (unknown, Errors(kindProblem).Keys.Single()).ShouldBe((400, "kind"));
        var (header, headerProblem) = await Import("pledges", "reference,fund,donor,amount,currency,pledged_on\nX,IMP-PLEDGE,N,1,USD,2024-02-01\n");
        header.ShouldBe(400);
        Errors(headerProblem)["csv"].ShouldBe([
            "The header has no fund_code column (expected reference,fund_code,donor,amount,currency,pledged_on,[earmarked_package_code],[rate],[rate_override_reason]).",
            "The header has an unknown column 'fund' (expected reference,fund_code,donor,amount,currency,pledged_on,[earmarked_package_code],[rate],[rate_override_reason]).",
        ]);
    }

    [Fact]
    public async Task a_scoped_importer_is_refused_a_file_naming_a_fund_outside_the_remit_even_one_imported_before()
    {
        await Fund("IMP-MINE");
        await Fund("IMP-OTHER");
        var clock = app.Host.Services.GetRequiredService<IClock>();
        var actor = new ImportActor("scoped", "remit", "test");
        var mine = new HashSet<string>(["IMP-MINE"], StringComparer.OrdinalIgnoreCase);
        var both = Encoding.UTF8.GetBytes("reference,fund_code,donor,amount,currency,signed_on\nREMIT-1,IMP-MINE,Norway,1000,USD,2024-03-05\nREMIT-2,IMP-OTHER,Sweden,500,USD,2024-03-05\n");
        var own = Encoding.UTF8.GetBytes("reference,fund_code,donor,amount,currency,signed_on\nREMIT-3,IMP-MINE,Norway,250,USD,2024-03-06\n");
        Task<ImportResult> Run(ImportKind kind, byte[] file, IReadOnlySet<string>? remit) =>
            LedgerImport.RunAsync(app.Store, clock, kind, file, actor, new ImportOptions(false, "UNORE 2024-05", FundRemit: remit), null, CancellationToken.None);
        var before = await EventCount();

        var refused = await Run(ImportKind.Agreements, both, mine);

        (refused.Outcome, refused.Outside, refused.Message, refused.Summary).ShouldBe((ImportOutcome.OutsideRemit, "IMP-OTHER",
            "The file records money for fund IMP-OTHER, outside your remit: you record money for IMP-MINE. Nothing was written.", (ImportSummary?)null));
        (await EventCount()).ShouldBe(before);

        // Imported by someone for every fund, the file is still not described to the scoped importer.
        (await Run(ImportKind.Agreements, both, null)).Outcome.ShouldBe(ImportOutcome.Imported);
        var again = await Run(ImportKind.Agreements, both, mine);
        (again.Outcome, again.Outside).ShouldBe((ImportOutcome.OutsideRemit, "IMP-OTHER"));

        var rates = await Run(ImportKind.Rates, Encoding.UTF8.GetBytes("effective_date,currency,units_per_usd\n2024-05-01,EUR,0.93\n"), mine);
        (rates.Outcome, rates.Outside, rates.Message).ShouldBe((ImportOutcome.OutsideRemit, "every fund",
            "Rates apply to every fund; your remit covers IMP-MINE only. Nothing was written."));

        var inside = await Run(ImportKind.Agreements, own, mine);
        (inside.Outcome, inside.Summary!.Rows, inside.Summary.TotalUsd).ShouldBe((ImportOutcome.Imported, 1, 250m));
        (await EventCount()).ShouldBe(before + 3);
    }

    [Fact]
    public void every_import_outcome_has_its_own_http_answer()
    {
        var summary = new ImportSummary("deposits", "digest", 1, 1, [], 0m, 0m, "tester", DateTimeOffset.UnixEpoch);
        var answers = Enum.GetValues<ImportOutcome>().ToDictionary(x => x, x =>
            ((Microsoft.AspNetCore.Http.IStatusCodeHttpResult)ImportEndpoints.Answer(
                new ImportResult(x, "message", summary, new Dictionary<string, string[]>(), TimeSpan.Zero) { Outside = "IMP-X" })).StatusCode);

        answers.ShouldBe(new Dictionary<ImportOutcome, int?>
        {
            [ImportOutcome.Imported] = 200,
            [ImportOutcome.Checked] = 200,
            [ImportOutcome.Refused] = 400,
            [ImportOutcome.Rejected] = 422,
            [ImportOutcome.AlreadyImported] = 200,
            [ImportOutcome.Conflict] = 409,
            [ImportOutcome.OutsideRemit] = 403,
        });
    }

    [Fact]
    public async Task a_write_reaching_a_stream_between_decision_and_commit_fails_the_whole_file()
    {
        await Fund("IMP-RACE");
        await Import("agreements", "reference,fund_code,donor,amount,currency,signed_on\nRACE-1,IMP-RACE,Norway,1000,USD,2024-03-05\n");
        var before = await EventCount();
        var clock = app.Host.Services.GetRequiredService<IClock>();
        var actor = new ImportActor("tester", "race", "test");
        var file = Encoding.UTF8.GetBytes("reference,fund_code,donor,amount,currency,value_date,transaction_reference\nRACE-1,IMP-RACE,Norway,400,USD,2024-04-10,TX-RACE-1-1\nRACE-2,IMP-RACE,Sweden,10,USD,2024-04-10,TX-RACE-2-2\n");

        var (answer, decided) = await LedgerImport.DecideAsync(app.Store, clock, ImportKind.Deposits, file, actor, new ImportOptions(false), null, CancellationToken.None);
        answer.ShouldBeNull();
        // Someone records a deposit on the same agreement through the API in the meantime.
        await api.Record("/api/contributions/deposits", new
        {
            reference = "RACE-1", fundId = Funding.Funds.FundIds.For("IMP-RACE"), donor = "Norway",
            amount = Usd(600), valueDate = "2024-04-10", transactionReference = "TX-RACE-HTTP",
        }, 201);
        var result = await LedgerImport.WriteAsync(app.Store, decided!, actor, null, CancellationToken.None);

        result.Outcome.ShouldBe(ImportOutcome.Conflict);
        result.Message.ShouldContain("Nothing of the file was written; import it again.");
        (await EventCount()).ShouldBe(before + 2); // only the API's deposit and its fee
        await using var session = app.Store.QuerySession();
        (await session.LoadAsync<Contribution>(ContributionIds.For("RACE-2"))).ShouldBeNull();
    }

    [Fact]
    public async Task the_import_verb_reports_bad_rows_imports_once_and_audit_verify_passes()
    {
        await Fund("IMP-CLI");
        var directory = TestCluster.NewScratchDirectory("import");
        var file = Path.Combine(directory, "deposits.csv");
        var bad = Path.Combine(directory, "bad.csv");
        var rates = Path.Combine(directory, "rates.csv");
        await File.WriteAllTextAsync(file, "reference,fund_code,donor,amount,currency,value_date,transaction_reference\nCLI-1,IMP-CLI,Norway,1000,EUR,2024-04-10,TX-CLI-1-1\nCLI-2,IMP-CLI,Sweden,2500.50,USD,2024-04-11,TX-CLI-2-2\n");
        await File.WriteAllTextAsync(bad, "reference,fund_code,donor,amount,currency,value_date,transaction_reference\nCLI-3,IMP-CLI,Norway,\"1,000\",EUR,2024-04-10,TX-CLI-3\nCLI-4,IMP-CLI,Norway,1000,EUR,2024-04-31,TX-CLI-4\n");
        await File.WriteAllTextAsync(rates, "effective_date,currency,units_per_usd\n2024-05-01,EUR,0.93\n2024-05-01,NOK,10.9\n");
        var before = await EventCount();

        var (refused, refusal) = await Run("import", "deposits", bad, "--user", "cli-fin", "--dry-run");
        refused.ShouldBe(1, refusal);
        refusal.ShouldContain("line 2, column amount: '1,000' is not a number like 1000.50 (a point for decimals, no thousands separators).");
        refusal.ShouldContain("line 3, column value_date: '2024-04-31' is not a date (yyyy-MM-dd).");
        refusal.ShouldContain("2 bad row(s) in the deposits file; nothing written.");

        var (checkedExit, checkedOutput) = await Run("import", "DEPOSITS", file, "--user", "cli-fin", "--dry-run");
        checkedExit.ShouldBe(0, checkedOutput);
        checkedOutput.ShouldContain("Checked 2 deposits: 4 events would be recorded (total USD 3,570.02, fees USD 35.71; EUR 1,000, USD 2,500.5); nothing written (dry run).");
        (await EventCount()).ShouldBe(before);

        var (imported, importOutput) = await Run("import", "deposits", file, "--user", "cli-fin");
        imported.ShouldBe(0, importOutput);
        importOutput.ShouldMatch(@"Imported 2 deposits \(4 events\) in \d+\.\d s: \d+ rows/s\. total USD 3,570\.02");
        (await EventCount()).ShouldBe(before + 4);
        await using (var session = app.Store.QuerySession())
        {
            var deposit = (await session.Events.FetchStreamAsync(ContributionIds.For("CLI-2"))).Single();
            (deposit.UserName, deposit.Headers![LedgerImport.LineHeader].ToString()).ShouldBe(("cli-fin", "3"));
            deposit.CorrelationId.ShouldStartWith("import-");
        }

        var (again, againOutput) = await Run("import", "deposits", file, "--user", "someone-else");
        again.ShouldBe(0, againOutput);
        againOutput.ShouldContain("UTC by cli-fin: 2 deposits, nothing written.");
        (await EventCount()).ShouldBe(before + 4);

        var (ratesExit, ratesOutput) = await Run("import", "rates", rates, "--user", "cli-fin", "--reference", "UNORE 2024-05");
        ratesExit.ShouldBe(0, ratesOutput);
        ratesOutput.ShouldContain("Imported 2 rates (1 events)");
        (await EventCount()).ShouldBe(before + 5);

        var (noUser, noUserOutput) = await Run("import", "deposits", file);
        (noUser, noUserOutput.Contains("--user: name who is importing; it is recorded on every event.", StringComparison.Ordinal)).ShouldBe((1, true));
        var (noKind, noKindOutput) = await Run("import", "refunds", file, "--user", "cli-fin");
        (noKind, noKindOutput.Contains("'refunds' is not something to import: use pledges, agreements, deposits or rates.", StringComparison.Ordinal)).ShouldBe((1, true));

        var (verified, report) = await Run("audit", "verify");
        verified.ShouldBe(0, report);
        report.ShouldContain("Result: PASSED");
    }

    Task<(int ExitCode, string Output)> Run(params string[] arguments) =>
        ServiceProcess.RunVerb(arguments, Path.Combine(Path.GetTempPath(), "funding-cli-unused"), ("ConnectionStrings__Funding", app.ConnectionString));

    static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonForFunding.Configure(options);
        return options;
    }
}
