using System.Xml.Linq;
using Alba;
using Funding.Demo;
using Funding.Ledger;
using Funding.Packages;
using Funding.Tests.Infrastructure;
using Funding.Tests.Scenarios;
using Funding.Transparency;
using NodaTime;

namespace Funding.Tests.Transparency;

/// <summary>
/// The walkthrough ledger as IATI 2.03: it validates against the official schema and the codelists, every flow is
/// on the right activity once, with its own currency and value date.
/// </summary>
public class IatiExportTests(WalkthroughApp ledger) : IClassFixture<WalkthroughApp>
{
    const string Org = "XI-IATI-UNEAD";
    static readonly LocalDate Today = LocalDate.FromDateTime(DateTime.UtcNow);

    async Task<(string Xml, XDocument Document)> Get(string url)
    {
        var result = await ledger.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe("application/xml");
        });
        var xml = result.ReadAsText();
        return (xml, XDocument.Parse(xml));
    }

    [Fact]
    public async Task the_organisation_file_validates_and_reports_each_flow_once_on_its_own_activity()
    {
        var (xml, document) = await Get("/api/iati/activities.xml");

        IatiRules.SchemaErrors(xml).ShouldBeEmpty();
        IatiRules.CodelistAndDateProblems(document, Today).ShouldBeEmpty();
        document.Root!.Attribute("version")!.Value.ShouldBe("2.03");
        document.Root.Elements("iati-activity").Select(x => $"{x.Attribute("hierarchy")!.Value} {x.Element("iati-identifier")!.Value}")
            .ShouldBe(["1 XI-IATI-UNEAD-RM-TF", "2 XI-IATI-UNEAD-RM-CF", "2 XI-IATI-UNEAD-RM-NP"]);

        // Donors' money is reported once, at the fund, in its own currency: pledge, commitment, cash, and the interest.
        IatiRules.Transactions(document, $"{Org}-RM-TF").ShouldBe([
            "13 2024-05-02 NOK 20000000.00",
            "11 2024-05-20 NOK 15000000.00",
            "1 2024-09-03 NOK 10000000.00",
            "1 2024-06-11 SEK 2000000.00",
            "1 2024-09-30 USD 3250.75",
        ]);
        // The package reports what went out to it: allocation, transfer (500,000 + 7%), expenditure as reported
        // (interim 400,000, then certified 20,000 lower) and the refund as a negative disbursement.
        IatiRules.Transactions(document, $"{Org}-RM-NP").ShouldBe([
            "2 2024-09-10 USD 600000.00",
            "3 2024-09-15 USD 535000.00",
            "4 2024-12-31 USD 400000.00",
            "4 2024-12-31 USD -20000.00",
            "3 2025-01-20 USD -20000.00",
        ]);
        IatiRules.Transactions(document, $"{Org}-RM-CF").ShouldBeEmpty();

        var transfer = IatiRules.Activity(document, $"{Org}-RM-NP").Elements("transaction").ElementAt(1);
        transfer.Element("provider-org")!.Attribute("provider-activity-id")!.Value.ShouldBe($"{Org}-RM-TF");
        (transfer.Element("receiver-org")!.Attribute("ref")!.Value, transfer.Element("receiver-org")!.Value).ShouldBe(("XM-DAC-41114", "UNDP"));
        transfer.Element("description")!.Value.ShouldBe("Transfer for the voter registration phase: programmable 500,000.00 plus indirect cost 7%");
        // UNDP spent it: the expenditure's provider is UNDP, not the fund.
        var spent = IatiRules.Activity(document, $"{Org}-RM-NP").Elements("transaction").ElementAt(2).Element("provider-org")!;
        (spent.Attribute("ref")!.Value, spent.Value, spent.Attribute("provider-activity-id")).ShouldBe(("XM-DAC-41114", "UNDP", null));
        var deposit = IatiRules.Activity(document, $"{Org}-RM-TF").Elements("transaction").ElementAt(2);
        deposit.Element("value")!.Attribute("value-date")!.Value.ShouldBe("2024-09-03");
        deposit.Element("provider-org")!.Value.ShouldBe("Norway");

        IatiRules.Participants(document, $"{Org}-RM-NP").ShouldBe([
            "1 Norway", "1 Sweden", "2 United Nations Electoral Assistance Division", "3 Walkthrough trust fund", "4 UN Women", "4 UNDP",
        ]);
        IatiRules.Participants(document, $"{Org}-RM-TF").ShouldBe([
            "1 Norway", "1 Sweden", "2 United Nations Electoral Assistance Division", "3 Walkthrough trust fund", "4 UNDP",
        ]);
        IatiRules.Activity(document, $"{Org}-RM-NP").Elements("related-activity").Select(x => $"{x.Attribute("type")!.Value} {x.Attribute("ref")!.Value}")
            .ShouldBe([$"1 {Org}-RM-TF"]);
        IatiRules.Activity(document, $"{Org}-RM-TF").Elements("related-activity").Select(x => $"{x.Attribute("type")!.Value} {x.Attribute("ref")!.Value}")
            .ShouldBe([$"2 {Org}-RM-NP"]);
    }

    [Fact]
    public async Task a_package_is_one_activity_with_its_approved_budget_and_planned_disbursements_by_phase()
    {
        var (xml, document) = await Get($"/api/packages/{ledger.Ids.PackageId}/iati.xml");

        IatiRules.SchemaErrors(xml).ShouldBeEmpty();
        IatiRules.CodelistAndDateProblems(document, Today).ShouldBeEmpty();
        var activity = document.Root!.Elements("iati-activity").ShouldHaveSingleItem();
        activity.Element("iati-identifier")!.Value.ShouldBe($"{Org}-RM-NP");
        activity.Element("activity-status")!.Attribute("code")!.Value.ShouldBe("2");
        activity.Elements("activity-date").Select(x => $"{x.Attribute("type")!.Value} {x.Attribute("iso-date")!.Value}")
            .ShouldBe(["1 2024-10-01", "2 2024-09-15", "3 2025-03-31"]);
        activity.Element("recipient-country")!.Attribute("code")!.Value.ShouldBe("NP");
        activity.Elements("budget").Select(Line).ShouldBe([
            "type 1 status 2: 2024-10-01 to 2024-12-31 USD 600000 on 2024-10-01",
            "type 1 status 2: 2025-02-01 to 2025-03-31 USD 850000 on 2025-02-01",
        ]);
        activity.Elements("planned-disbursement").Select(Line).ShouldBe([
            "type 1: 2024-10-01 to 2024-12-31 USD 600000 on 2024-10-01",
            "type 1: 2025-02-01 to 2025-03-31 USD 850000 on 2025-02-01",
        ]);
        IatiRules.Transactions(document, $"{Org}-RM-NP").Count.ShouldBe(5);

        var missing = await ledger.Host.Scenario(s =>
        {
            s.Get.Url($"/api/packages/{Guid.NewGuid()}/iati.xml");
            s.StatusCodeShouldBe(404);
        });
        missing.ReadAsText().ShouldContain("packageId");
    }

    [Fact]
    public async Task the_cli_writes_the_same_files_and_names_an_unknown_package()
    {
        var directory = TestCluster.NewScratchDirectory("iati");
        var file = Path.Combine(directory, "iati-activities.xml");
        var (exit, output) = await ServiceProcess.RunVerb(["iati", "--out", file], directory, ("ConnectionStrings__Funding", ledger.ConnectionString));
        exit.ShouldBe(0, output);
        output.ShouldContain($"Wrote 3 IATI activities to {file}.");
        var written = await File.ReadAllTextAsync(file);
        IatiRules.SchemaErrors(written).ShouldBeEmpty();
        var (_, served) = await Get("/api/iati/activities.xml");
        // Equal but for when each was generated.
        Without(XDocument.Parse(written), "generated-datetime").ShouldBe(Without(served, "generated-datetime"));

        var (refused, message) = await ServiceProcess.RunVerb(["iati", "--package", "NO-SUCH-PACKAGE"], directory, ("ConnectionStrings__Funding", ledger.ConnectionString));
        (refused, message.Contains("--package: there is no package with the code 'NO-SUCH-PACKAGE'.", StringComparison.Ordinal)).ShouldBe((1, true), message);
    }

    [Fact]
    public void a_phase_longer_than_a_year_is_budgeted_in_periods_of_at_most_a_year_that_add_up_to_the_cent()
    {
        var phase = new PhaseBudget(ElectoralPhase.VoterRegistration, new LocalDate(2015, 6, 1), new LocalDate(2016, 12, 31), Money.Usd(36_600_000m));

        // 366 days (2016 is a leap year) and 214 days of 580.
        IatiActivities.Periods(phase).ShouldBe([
            (new LocalDate(2015, 6, 1), new LocalDate(2016, 5, 31), Money.Usd(23_095_862.07m)),
            (new LocalDate(2016, 6, 1), new LocalDate(2016, 12, 31), Money.Usd(13_504_137.93m)),
        ]);
        var exactlyAYear = phase with { EndsOn = new LocalDate(2016, 5, 31) };
        IatiActivities.Periods(exactlyAYear).ShouldBe([(new LocalDate(2015, 6, 1), new LocalDate(2016, 5, 31), Money.Usd(36_600_000m))]);
    }

    static string Line(XElement x)
    {
        var value = x.Element("value")!;
        var status = x.Attribute("status") is { } s ? $" status {s.Value}" : "";
        return $"type {x.Attribute("type")!.Value}{status}: {x.Element("period-start")!.Attribute("iso-date")!.Value} to " +
               $"{x.Element("period-end")!.Attribute("iso-date")!.Value} {value.Attribute("currency")!.Value} {value.Value} on {value.Attribute("value-date")!.Value}";
    }

    static string Without(XDocument document, string attribute)
    {
        document.Root!.Attribute(attribute)?.Remove();
        return document.ToString();
    }
}

/// <summary>The demo ledger (every kind of fund and package) published as IATI validates, and never reports the future.</summary>
public class IatiDemoExportTests(FundingApp app) : IClassFixture<FundingApp>
{
    [Fact]
    public async Task the_demo_ledger_validates_reports_every_deposit_once_at_its_fund_and_nothing_dated_after_today()
    {
        var today = LocalDate.FromDateTime(DateTime.UtcNow);
        (await new DemoLedger((user, role) => app.Host.Server.CreateClient().Authorised(user, role), today).RecordAsync(CancellationToken.None)).ShouldBeTrue();
        var api = new LedgerApi(app.Host);
        var fund = await api.Post<Funding.Funds.Establishing.FundCreated>("/api/funds", new
        {
            code = "IATI-TF", name = "Pledged ahead", kind = "TrustFund", administrativeAgentFeePercent = 1, defaultIndirectCostPercent = 7,
            establishedOn = "2024-01-02",
        }, 201);
        await api.Record("/api/contributions/pledges", new
        {
            reference = "IATI-LATER", fundId = fund.FundId, donor = "Ireland", amount = LedgerApi.Usd(250_000m), pledgedOn = today.PlusDays(30).ToString("uuuu-MM-dd", null),
        }, 201);

        var result = await app.Host.Scenario(s => s.Get.Url("/api/iati/activities.xml"));
        var xml = result.ReadAsText();
        var document = XDocument.Parse(xml);

        IatiRules.SchemaErrors(xml).ShouldBeEmpty();
        IatiRules.CodelistAndDateProblems(document, today).ShouldBeEmpty();
        var funds = await api.Get<List<Funding.Funds.Fund>>("/api/funds?pageSize=500");
        var packages = await api.Get<List<Funding.Statements.PackageStatusReport>>("/api/packages/status?pageSize=500");
        document.Root!.Elements("iati-activity").Count().ShouldBe(funds.Count + packages.Count);

        // Every deposit of the log is one incoming-funds transaction at its fund, and none at a package; a closed fund's
        // refund to a donor is one too, negative, in what the donor was paid.
        await using var session = app.Store.QuerySession();
        var deposits = (await Marten.QueryableExtensions.ToListAsync(session.Events.QueryRawEventDataOnly<Funding.Contributions.DepositReceived>())).ToList();
        var reported = document.Root.Elements("iati-activity").Where(x => x.Attribute("hierarchy")!.Value == "1")
            .SelectMany(x => x.Elements("transaction"))
            .Where(x => x.Element("transaction-type")!.Attribute("code")!.Value == "1" && x.Element("provider-org") is not null)
            .Select(x => (Date: x.Element("transaction-date")!.Attribute("iso-date")!.Value, x.Element("value")!.Attribute("currency")!.Value,
                Amount: decimal.Parse(x.Element("value")!.Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(x => x.ToString()).ToList();
        reported.Where(x => x.Amount > 0m).ShouldBe(deposits.Select(x => (x.ValueDate.ToString("uuuu-MM-dd", null), x.Amount.Currency, x.Amount.Amount)).OrderBy(x => x.ToString()).ToList());
        var refunds = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryRawEventDataOnly<Funding.Funds.BalanceRefundedToDonor>());
        refunds.Count.ShouldBe(3);
        reported.Where(x => x.Amount < 0m).ShouldBe(refunds.Select(x => (x.RefundedOn.ToString("uuuu-MM-dd", null), x.Paid.Currency, -x.Paid.Amount)).OrderBy(x => x.ToString()).ToList());
        document.Root.Elements("iati-activity").Where(x => x.Attribute("hierarchy")!.Value == "2").SelectMany(x => x.Elements("transaction"))
            .Select(x => x.Element("transaction-type")!.Attribute("code")!.Value).Distinct().Order().ShouldBeSubsetOf(["2", "3", "4"]);

        // The pledge dated next month is not a transaction yet.
        document.Descendants("transaction").ShouldNotContain(x => x.Element("description")!.Value.Contains("IATI-LATER"));
        var car = IatiRules.Activity(document, "XI-IATI-UNEAD-CF-2015-GENERAL");
        car.Element("description")!.Value.ShouldContain("Mandated by Security Council resolution 2217 (2015).");
        car.Elements("budget").Sum(x => decimal.Parse(x.Element("value")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(36_600_000m);
    }
}

/// <summary>The checks themselves: a file that breaks the schema, a codelist or the calendar is caught.</summary>
public class IatiRulesTests
{
    const string Valid = """
        <iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">
          <iati-activity default-currency="USD" hierarchy="1">
            <iati-identifier>XI-IATI-UNEAD-F</iati-identifier>
            <reporting-org ref="XI-IATI-UNEAD" type="40"><narrative>EAD</narrative></reporting-org>
            <title><narrative>Fund</narrative></title>
            <description type="1"><narrative>A fund</narrative></description>
            <participating-org role="2"><narrative>EAD</narrative></participating-org>
            <activity-status code="2" />
            <activity-date type="2" iso-date="2024-01-01" />
            <transaction>
              <transaction-type code="1" />
              <transaction-date iso-date="2024-02-01" />
              <value currency="EUR" value-date="2024-02-01">1000.00</value>
            </transaction>
          </iati-activity>
        </iati-activities>
        """;

    static readonly LocalDate Today = new(2025, 1, 1);

    [Fact]
    public void a_valid_file_passes_both_checks()
    {
        IatiRules.SchemaErrors(Valid).ShouldBeEmpty();
        IatiRules.CodelistAndDateProblems(XDocument.Parse(Valid), Today).ShouldBeEmpty();
    }

    [Fact]
    public void a_value_without_its_date_or_elements_out_of_order_break_the_schema()
    {
        IatiRules.SchemaErrors(Valid.Replace(" value-date=\"2024-02-01\"", "")).ShouldHaveSingleItem().ShouldContain("value-date");
        IatiRules.SchemaErrors(Valid.Replace("<activity-status code=\"2\" />", "").Replace("<iati-identifier>", "<activity-status code=\"2\" /><iati-identifier>"))
            .ShouldNotBeEmpty();
    }

    [Fact]
    public void codes_outside_their_codelists_unknown_currencies_and_future_dates_are_named()
    {
        var broken = Valid.Replace("<transaction-type code=\"1\" />", "<transaction-type code=\"14\" />")
            .Replace("role=\"2\"", "role=\"5\"").Replace("currency=\"EUR\"", "currency=\"XYZ\"")
            .Replace("<transaction-date iso-date=\"2024-02-01\" />", "<transaction-date iso-date=\"2025-01-02\" />");

        IatiRules.SchemaErrors(broken).ShouldBeEmpty(); // the schema lets all of it through
        IatiRules.CodelistAndDateProblems(XDocument.Parse(broken), Today).ShouldBe([
            "XI-IATI-UNEAD-F: <participating-org> @role='5' is not in its codelist",
            "XI-IATI-UNEAD-F: <transaction-type> @code='14' is not in its codelist",
            "XI-IATI-UNEAD-F: transaction (no ref) is dated 2025-01-02, after today",
            "XI-IATI-UNEAD-F: a value has no ISO 4217 currency: <value currency=\"XYZ\" value-date=\"2024-02-01\">1000.00</value>",
        ]);
    }
}
