using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Funding.Hosting.OpenApi;
using Funding.Statements;
using Funding.Tests.Infrastructure;
using NodaTime;
using static Funding.Tests.Infrastructure.LedgerApi;

namespace Funding.Tests.Scenarios;

/// <summary>The walkthrough's ledger, plus a closed package, a package only requested and a donor paying in a second year.</summary>
public sealed class XlsxLedgerApp : FundingApp
{
    public LedgerWalkthrough.Ids Ids { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var api = new LedgerApi(Host);
        Ids = await LedgerWalkthrough.Run(api, "XL");

        // Norway pays its second instalment in 2025: the donor statement gets a second year.
        await api.Record("/api/contributions/deposits", new { reference = "XL-NOR", fundId = Ids.FundId, donor = "Norway", amount = Money(5_000_000m, "NOK"), valueDate = "2025-03-05", transactionReference = "DNB-20250305-1" }, 201);

        var fund = await api.FundWithCash("XL-CASH", 100_000m);
        var closed = await api.ApprovedPackage("XL-CL", "CF", ("Polling", 100_000m));
        await api.Record($"/api/packages/{closed}/allocations", new { fundId = fund, phase = "Polling", amount = Usd(100_000m), allocatedOn = "2024-07-01" });
        await api.Record($"/api/packages/{closed}/transfers", new { fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", programmable = Usd(100_000m), transferredOn = "2024-07-15" });
        await api.Record($"/api/packages/{closed}/expenditure", new { fundId = fund, phase = "Polling", implementingOrganisation = "UNDP", basis = "Certified", cumulativeToDate = Usd(100_000m), asOf = "2024-12-31" });
        await api.Record($"/api/packages/{closed}/closure", new { closedOn = "2025-01-15" });

        await api.Post<object>("/api/packages", new
        {
            code = "XL-REQ", country = "ML", electoralProcess = "2025 referendum", origin = "MemberStateRequest", requestedOn = "2024-12-01",
        }, 201);
    }
}

/// <summary>
/// Every statement as an Excel workbook, opened with the Open XML SDK: sheet, headers, every cell's kind, value and
/// format, and every total's formula worked out, against the JSON API's figures to the cent.
/// </summary>
public class StatementXlsxTests(XlsxLedgerApp ledger) : IClassFixture<XlsxLedgerApp>
{
    const string Money = "#,##0.00 \"USD\"";
    readonly LedgerApi api = new(ledger.Host);

    async Task<(XlsxSheet Sheet, string FileName)> Download(string url, string sheetName)
    {
        var result = await ledger.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(200);
            s.ContentTypeShouldBe(StatementWorkbook.ContentType);
        });
        var body = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(body);
        var book = XlsxWorkbook.Open(body.ToArray());
        book.SchemaErrors.ShouldBeEmpty();
        book.Sheets.Select(x => x.Name).ShouldBe([sheetName]);
        var disposition = result.Context.Response.Headers.ContentDisposition.ToString();
        return (book.Sheets[0], System.Net.Http.Headers.ContentDispositionHeaderValue.Parse(disposition).FileName!.Trim('"'));
    }

    static void Text(XlsxSheet sheet, string reference, string? expected, bool bold = false)
    {
        if (expected is null)
        {
            sheet[reference].ShouldBeNull(reference);
            return;
        }

        var cell = sheet[reference].ShouldNotBeNull(reference);
        (cell.Kind, cell.Text, cell.Formula, cell.Bold).ShouldBe((XlsxKind.Text, expected, (string?)null, bold), reference);
    }

    /// <summary>A number cell: no formula, the format, and the figure exactly, read back from Excel's double.</summary>
    static void Number(XlsxSheet sheet, string reference, decimal? expected, string format = Money)
    {
        if (expected is null)
        {
            sheet[reference].ShouldBeNull(reference);
            return;
        }

        var cell = sheet[reference].ShouldNotBeNull(reference);
        (cell.Kind, cell.Formula, cell.Format).ShouldBe((XlsxKind.Number, (string?)null, format), reference);
        sheet.Value(reference).ShouldBe(expected.Value, reference);
    }

    /// <summary>A total: the formula as written, its cached figure and the figure it works out to, both the API's.</summary>
    static void Formula(XlsxSheet sheet, string reference, string formula, decimal expected, bool bold)
    {
        var cell = sheet[reference].ShouldNotBeNull(reference);
        (cell.Kind, cell.Formula, cell.Format, cell.Bold).ShouldBe((XlsxKind.Number, formula, Money, bold), reference);
        ((decimal)cell.Number!.Value).ShouldBe(expected, $"{reference} cached");
        sheet.Value(reference).ShouldBe(expected, $"{reference} = {formula}");
    }

    static void Date(XlsxSheet sheet, string reference, LocalDate? expected)
    {
        if (expected is null)
        {
            sheet[reference].ShouldBeNull(reference);
            return;
        }

        var cell = sheet[reference].ShouldNotBeNull(reference);
        (cell.Kind, cell.Formula, cell.Format).ShouldBe((XlsxKind.Number, (string?)null, "yyyy-mm-dd"), reference);
        LocalDate.FromDateTime(DateTime.FromOADate(cell.Number!.Value)).ShouldBe(expected.Value, reference);
    }

    [Theory]
    [InlineData("", "fund-statement-XL-TF.xlsx")]
    [InlineData("?asAt=2024-12-31&knownOn=2030-01-01", "fund-statement-XL-TF-as-at-2024-12-31-known-on-2030-01-01.xlsx")]
    public async Task the_fund_statement_works_its_totals_out_from_its_lines(string query, string fileName)
    {
        var s = await api.Get<FundStatementReport>($"/api/funds/{ledger.Ids.FundId}/statement{query}");
        var (sheet, name) = await Download($"/api/funds/{ledger.Ids.FundId}/statement.xlsx{query}", "Fund statement");
        name.ShouldBe(fileName);

        (string Line, decimal Usd, string? Formula)[] expected =
        [
            ("Contributions", s.Contributions, null),
            ("Interest", s.Interest, null),
            ("Other income", s.OtherIncome, null),
            ("Appropriations lapsed", s.AppropriationsLapsed, null),
            ("Balances received from other funds", s.BalancesReceivedFromOtherFunds, null),
            ("Total sources", s.TotalSources, "B2+B3+B4-B5+B6"),
            ("Transferred to implementing organisations", s.TransferredToImplementingOrganisations, null),
            ("Refunds", s.Refunds, null),
            ("Net funded amount", s.NetFundedAmount, "B8-B9"),
            ("Administrative agent fees", s.AdministrativeAgentFees, null),
            ("Refunds to donors", s.RefundsToDonors, null),
            ("Balances moved to other funds", s.BalancesMovedToOtherFunds, null),
            ("Total uses", s.TotalUses, "SUM(B10:B13)"),
            ("Balance with administrative agent", s.BalanceWithAdministrativeAgent, "B7-B14"),
            ("Expenditure", s.Expenditure, null),
            ("Balance with implementing organisations", s.BalanceWithImplementingOrganisations, "B10-B16"),
            ("Total balance", s.TotalBalance, "B15+B17"),
            ("Allocated, not yet transferred", s.AllocatedNotYetTransferred, null),
            ("Receivables outstanding", s.ReceivablesOutstanding, null),
            ("Outstanding pledges (indicative)", s.OutstandingPledges, null),
            ("Realised exchange gains and losses", s.RealisedExchangeGainsAndLosses, null),
            ("Unrealised exchange gains and losses", s.UnrealisedExchangeGainsAndLosses, null),
        ];

        Text(sheet, "A1", "Line", bold: true);
        Text(sheet, "B1", "Usd", bold: true);
        sheet.LastRow.ShouldBe(expected.Length + 1);
        for (var i = 0; i < expected.Length; i++)
        {
            var row = i + 2;
            Text(sheet, $"A{row}", expected[i].Line);
            if (expected[i].Formula is { } formula) Formula(sheet, $"B{row}", formula, expected[i].Usd, bold: false);
            else Number(sheet, $"B{row}", expected[i].Usd);
        }

        // The same lines and figures as the CSV download.
        var csv = (await ledger.Host.GetAsText($"/api/funds/{ledger.Ids.FundId}/statement.csv{query}")).TrimEnd().Split('\n').Skip(1).Select(x => x.TrimEnd('\r'));
        csv.ShouldBe(expected.Select(x => $"{(x.Line.Contains(',') ? $"\"{x.Line}\"" : x.Line)},{x.Usd.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public async Task the_live_fund_statement_and_the_one_as_at_the_year_end_differ_by_the_january_refund()
    {
        var (live, _) = await Download($"/api/funds/{ledger.Ids.FundId}/statement.xlsx", "Fund statement");
        var (yearEnd, _) = await Download($"/api/funds/{ledger.Ids.FundId}/statement.xlsx?asAt=2024-12-31", "Fund statement");

        // Interest as recorded; the 20,000 refund of 2025-01-20 is in the live statement only, and moves the totals it feeds.
        (live.Value("B3"), yearEnd.Value("B3")).ShouldBe((3_250.75m, 3_250.75m));
        (live.Value("B9"), yearEnd.Value("B9")).ShouldBe((20_000m, 0m));
        (live.Value("B10"), yearEnd.Value("B10")).ShouldBe((515_000m, 535_000m));
        (live.Value("B17"), yearEnd.Value("B17")).ShouldBe((135_000m, 155_000m));
    }

    [Fact]
    public async Task the_trial_balance_totals_are_sums_that_give_the_api_totals()
    {
        var balance = await api.Get<TrialBalanceReport>($"/api/funds/{ledger.Ids.FundId}/trial-balance");
        var (sheet, name) = await Download($"/api/funds/{ledger.Ids.FundId}/trial-balance.xlsx", "Trial balance");
        name.ShouldBe("trial-balance-XL-TF.xlsx");

        sheet.Texts(1).ShouldBe(["Code", "Account", "Debit", "Credit"]);
        balance.Lines.Count.ShouldBeGreaterThan(5);
        for (var i = 0; i < balance.Lines.Count; i++)
        {
            var (row, line) = (i + 2, balance.Lines[i]);
            Number(sheet, $"A{row}", line.Code, "0");
            Text(sheet, $"B{row}", line.Account.ToString());
            Number(sheet, $"C{row}", line.Debit);
            Number(sheet, $"D{row}", line.Credit);
        }

        var total = balance.Lines.Count + 2;
        sheet.LastRow.ShouldBe(total);
        Text(sheet, $"A{total}", "Total", bold: true);
        Text(sheet, $"B{total}", null);
        Formula(sheet, $"C{total}", $"SUM(C2:C{total - 1})", balance.TotalDebits, bold: true);
        Formula(sheet, $"D{total}", $"SUM(D2:D{total - 1})", balance.TotalCredits, bold: true);
        balance.TotalDebits.ShouldBe(balance.TotalCredits);
    }

    [Fact]
    public async Task package_statuses_come_in_the_sections_the_totals_keep_apart_each_with_its_total()
    {
        const string asOf = "2025-01-31";
        var packages = await api.Get<List<PackageStatusReport>>($"/api/packages/status?asOf={asOf}");
        var totals = await api.Get<PackageTotals>($"/api/packages/totals?asOf={asOf}");
        var (sheet, name) = await Download($"/api/packages/status.xlsx?asOf={asOf}", "Package status");
        name.ShouldBe("package-status-as-of-2025-01-31.xlsx");

        sheet.Texts(1).ShouldBe(["Package", "Country", "Stage", "Status", "Flags", "Phase", "StartsOn", "EndsOn", "Requirement", "Allocated",
            "Transferred", "Refunded", "Spent", "Gap", "CoveragePercent", "AtRisk"]);

        PhaseStatusReport Phase(string package, string phase) => packages.Single(x => x.Code == package).Phases.Single(x => x.Phase.ToString() == phase);
        void Line(int row, string code, string? phase)
        {
            var package = packages.Single(x => x.Code == code);
            var p = phase is null ? null : Phase(code, phase);
            Text(sheet, $"A{row}", package.Code);
            Text(sheet, $"B{row}", package.Country);
            Text(sheet, $"C{row}", package.Stage.ToString());
            Text(sheet, $"D{row}", package.Status.ToString());
            Text(sheet, $"E{row}", package.Flags.Count == 0 ? null : string.Join(" ", package.Flags));
            Text(sheet, $"F{row}", p?.Phase.ToString());
            Date(sheet, $"G{row}", p?.StartsOn);
            Date(sheet, $"H{row}", p?.EndsOn);
            Number(sheet, $"I{row}", p?.Approved);
            Number(sheet, $"J{row}", p?.Allocated);
            Number(sheet, $"K{row}", p?.Transferred);
            Number(sheet, $"L{row}", p?.Refunded);
            Number(sheet, $"M{row}", p?.Spent);
            Number(sheet, $"N{row}", p?.Gap);
            Number(sheet, $"O{row}", p?.CoveragePercent, "0.0");
            if (p is null) sheet[$"P{row}"].ShouldBeNull();
            else (sheet[$"P{row}"]!.Kind, sheet[$"P{row}"]!.Boolean).ShouldBe((XlsxKind.Boolean, (bool?)p.AtRisk));
        }

        void Total(int row, string label, int first, ApprovedTotals expected, params (string Package, string Phase)[] phases)
        {
            Text(sheet, $"A{row}", label, bold: true);
            string Sum(string column) => $"SUM({column}{first}:{column}{row - 1})";
            decimal Of(Func<PhaseStatusReport, decimal> figure) => phases.Sum(x => figure(Phase(x.Package, x.Phase)));
            Formula(sheet, $"I{row}", Sum("I"), expected.Requirement, bold: true);
            Formula(sheet, $"J{row}", Sum("J"), expected.Funded, bold: true);
            Formula(sheet, $"K{row}", Sum("K"), Of(x => x.Transferred), bold: true);
            Formula(sheet, $"L{row}", Sum("L"), Of(x => x.Refunded), bold: true);
            Formula(sheet, $"M{row}", Sum("M"), Of(x => x.Spent), bold: true);
            Formula(sheet, $"N{row}", Sum("N"), expected.Gap, bold: true);
            foreach (var column in new[] { "B", "C", "D", "E", "F", "G", "H", "O", "P" }) sheet[$"{column}{row}"].ShouldBeNull($"{column}{row}");
        }

        Text(sheet, "A2", "Open packages, phases not yet ended", bold: true);
        Line(3, "XL-CF", "Procurement"); // mandated and unfunded first, as in the list
        Line(4, "XL-NP", "Polling");
        Total(5, "Total open packages, phases not yet ended", 3, totals.Open, ("XL-CF", "Procurement"), ("XL-NP", "Polling"));
        Text(sheet, "A6", "Phases already ended", bold: true);
        Line(7, "XL-NP", "VoterRegistration");
        Total(8, "Total phases already ended", 7, totals.EndedPhases, ("XL-NP", "VoterRegistration"));
        Text(sheet, "A9", "Closed packages", bold: true);
        Line(10, "XL-CL", "Polling");
        Total(11, "Total closed packages", 10, totals.Closed, ("XL-CL", "Polling"));
        Text(sheet, "A12", "Not yet approved", bold: true);
        Line(13, "XL-REQ", null);
        sheet.LastRow.ShouldBe(13);

        // The figures the dashboard shows, to the cent.
        (totals.Open.Requirement, totals.Open.Funded, totals.Open.Gap).ShouldBe((2_050_000m, 0m, 2_050_000m));
        (totals.EndedPhases.Requirement, totals.EndedPhases.Funded, sheet.Value("L8"), sheet.Value("M8")).ShouldBe((600_000m, 600_000m, 20_000m, 380_000m));
        (totals.Closed.Requirement, sheet.Value("M11")).ShouldBe((100_000m, 100_000m));
        Text(sheet, "C13", "Requested");
    }

    [Fact]
    public async Task the_donor_statement_adds_up_flows_and_leaves_year_end_balances_out_of_the_total()
    {
        var lines = await api.Get<List<DonorStatementLine>>("/api/donors/statement");
        var funds = (await api.Get<List<JsonElement>>("/api/funds")).ToDictionary(x => x.GetProperty("id").GetGuid(), x => x.GetProperty("code").GetString()!);
        var (sheet, name) = await Download("/api/donors/statement.xlsx", "Donor statement");
        name.ShouldBe("donor-statement.xlsx");

        sheet.Texts(1).ShouldBe(["Donor", "Fund", "Year", "Pledged", "Signed", "Received", "OutstandingReceivable", "OutstandingPledge", "RefundedAtClosure"]);
        lines.Select(x => (x.Donor, x.Year)).ShouldBe([("Donor", 2024), ("Norway", 2024), ("Norway", 2025), ("Sweden", 2024)]);
        for (var i = 0; i < lines.Count; i++)
        {
            var (row, line) = (i + 2, lines[i]);
            Text(sheet, $"A{row}", line.Donor);
            Text(sheet, $"B{row}", funds[line.FundId]);
            Number(sheet, $"C{row}", line.Year, "0");
            Number(sheet, $"D{row}", line.Pledged);
            Number(sheet, $"E{row}", line.Signed);
            Number(sheet, $"F{row}", line.Received);
            Number(sheet, $"G{row}", line.OutstandingReceivable);
            Number(sheet, $"H{row}", line.OutstandingPledge);
            Number(sheet, $"I{row}", line.RefundedAtClosure);
        }

        var total = lines.Count + 2;
        sheet.LastRow.ShouldBe(total);
        Text(sheet, $"A{total}", "Total", bold: true);
        Formula(sheet, $"D{total}", $"SUM(D2:D{total - 1})", lines.Sum(x => x.Pledged), bold: true);
        Formula(sheet, $"E{total}", $"SUM(E2:E{total - 1})", lines.Sum(x => x.Signed), bold: true);
        Formula(sheet, $"F{total}", $"SUM(F2:F{total - 1})", lines.Sum(x => x.Received), bold: true);
        Formula(sheet, $"I{total}", $"SUM(I2:I{total - 1})", lines.Sum(x => x.RefundedAtClosure), bold: true);
        // Norway's receivable at the end of 2024 was paid in 2025: adding the two year-ends would count it twice.
        sheet[$"G{total}"].ShouldBeNull();
        sheet[$"H{total}"].ShouldBeNull();
        lines.Single(x => x is { Donor: "Norway", Year: 2024 }).OutstandingReceivable.ShouldBeGreaterThan(0m);
        sheet.Value($"F{total}").ShouldBe(100_000m + 1_000_000m + 500_000m + 192_307.69m);
    }

    [Fact]
    public async Task the_fund_statement_over_a_year_works_each_columns_totals_out_from_its_lines()
    {
        var report = await api.Get<Funding.Statements.Periods.FundStatementPeriodReport>($"/api/funds/{ledger.Ids.FundId}/statement/period?period=2024");
        var (sheet, name) = await Download($"/api/funds/{ledger.Ids.FundId}/statement/period.xlsx?period=2024", "Fund statement 2024");
        name.ShouldBe("fund-statement-XL-TF-2024.xlsx");

        sheet.Texts(1).ShouldBe(["Line", "Opening", "Movement", "Closing"]);
        sheet.LastRow.ShouldBe(report.Lines.Count + 1);
        string?[] formulas = [null, null, null, null, null, "{0}2+{0}3+{0}4-{0}5+{0}6", null, null, "{0}8-{0}9", null, null, null, "SUM({0}10:{0}13)",
            "{0}7-{0}14", null, "{0}10-{0}16", "{0}15+{0}17", null, null, null, null, null];
        for (var i = 0; i < report.Lines.Count; i++)
        {
            var (row, line) = (i + 2, report.Lines[i]);
            Text(sheet, $"A{row}", line.Line);
            foreach (var (column, figure) in new[] { ("B", line.Opening), ("C", line.Movement), ("D", line.Closing) })
            {
                if (formulas[i] is { } formula) Formula(sheet, $"{column}{row}", string.Format(System.Globalization.CultureInfo.InvariantCulture, formula, column), figure, bold: false);
                else Number(sheet, $"{column}{row}", figure);
            }
        }
    }

    [Fact]
    public async Task the_trial_balance_over_a_month_sums_every_column_to_the_api_totals()
    {
        var report = await api.Get<Funding.Statements.Periods.TrialBalancePeriodReport>($"/api/funds/{ledger.Ids.FundId}/trial-balance/period?period=2024-09");
        var (sheet, name) = await Download($"/api/funds/{ledger.Ids.FundId}/trial-balance/period.xlsx?period=2024-09", "Trial balance 2024-09");
        name.ShouldBe("trial-balance-2024-09.xlsx");

        sheet.Texts(1).ShouldBe(["Code", "Account", "OpeningDebit", "OpeningCredit", "Debits", "Credits", "ClosingDebit", "ClosingCredit"]);
        report.Lines.ShouldNotBeEmpty();
        for (var i = 0; i < report.Lines.Count; i++)
        {
            var (row, line) = (i + 2, report.Lines[i]);
            Number(sheet, $"A{row}", line.Code, "0");
            Text(sheet, $"B{row}", line.Account.ToString());
            Number(sheet, $"E{row}", line.Debits);
            Number(sheet, $"F{row}", line.Credits);
        }

        var total = report.Lines.Count + 2;
        foreach (var (column, figure) in new[]
                 {
                     ("C", report.TotalOpeningDebits), ("D", report.TotalOpeningCredits), ("E", report.TotalDebits), ("F", report.TotalCredits),
                     ("G", report.TotalClosingDebits), ("H", report.TotalClosingCredits),
                 })
            Formula(sheet, $"{column}{total}", $"SUM({column}2:{column}{total - 1})", figure, bold: true);
    }

    [Fact]
    public async Task the_ageing_sums_every_usd_bucket_to_the_api_totals()
    {
        var report = await api.Get<Funding.Statements.Ageing.ReceivablesAgeingReport>("/api/receivables/ageing?asAt=2025-03-04");
        var (sheet, name) = await Download("/api/receivables/ageing.xlsx?asAt=2025-03-04", "Receivables ageing");
        name.ShouldBe("receivables-ageing-as-at-2025-03-04.xlsx");

        sheet.Texts(1).ShouldBe([
            "Donor", "Fund", "Reference", "Currency", "OldestDueOn", "DaysPastDue", "PastDue", "UnitsPerUsd", "NotYetDueUsd", "Days0To30Usd",
            "Days31To90Usd", "Days91To180Usd", "Over180DaysUsd", "PastDueUsd", "CarryingUsd", "Note",
        ]);
        report.Lines.ShouldNotBeEmpty();
        for (var i = 0; i < report.Lines.Count; i++)
        {
            var (row, line) = (i + 2, report.Lines[i]);
            Text(sheet, $"A{row}", line.Donor);
            Text(sheet, $"C{row}", line.Reference);
            Date(sheet, $"E{row}", line.OldestDueOn);
            Number(sheet, $"G{row}", line.Amounts.PastDue, "#,##0.###");
            Number(sheet, $"N{row}", line.Usd?.PastDue);
        }

        var total = report.Lines.Count + 2;
        var usd = report.Totals.Usd;
        foreach (var (column, figure) in new[]
                 {
                     ("I", usd.NotYetDue), ("J", usd.Days0To30), ("K", usd.Days31To90), ("L", usd.Days91To180), ("M", usd.Over180Days),
                     ("N", usd.PastDue), ("O", report.Totals.CarryingUsd),
                 })
            Formula(sheet, $"{column}{total}", $"SUM({column}2:{column}{total - 1})", figure, bold: true);
    }

    [Theory]
    [InlineData("/api/funds/{fund}/statement.xlsx?asAt=2024-13-01", 400, "asAt")]
    [InlineData("/api/funds/{fund}/trial-balance.xlsx?knownOn=yesterday", 400, "knownOn")]
    [InlineData("/api/packages/status.xlsx?asOf=2025-02-30", 400, "asOf")]
    [InlineData("/api/donors/statement.xlsx?asAt=2024-1-1", 400, "asAt")]
    [InlineData("/api/funds/{other}/statement.xlsx", 404, "fundId")]
    [InlineData("/api/funds/{other}/trial-balance.xlsx", 404, "fundId")]
    public async Task bad_input_gets_the_same_problem_as_the_csv(string template, int status, string field)
    {
        var url = template.Replace("{fund}", ledger.Ids.FundId.ToString()).Replace("{other}", Guid.NewGuid().ToString());
        var result = await ledger.Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
            s.ContentTypeShouldBe("application/problem+json");
        });
        result.ReadAsJson<JsonElement>().GetProperty("errors").EnumerateObject().Select(x => x.Name).ShouldBe([field]);

        var csv = await ledger.Host.Scenario(s =>
        {
            s.Get.Url(url.Replace(".xlsx", ".csv"));
            s.StatusCodeShouldBe(status);
        });
        csv.ReadAsJson<JsonElement>().GetProperty("errors").EnumerateObject().Select(x => x.Name).ShouldBe([field]);
    }

    [Fact]
    public async Task the_openapi_document_declares_each_download_as_a_workbook()
    {
        using var anonymous = ledger.Host.Server.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync(ApiDocument.Path))!;
        foreach (var path in new[] { "/api/funds/{fundId}/statement.xlsx", "/api/funds/{fundId}/trial-balance.xlsx", "/api/packages/status.xlsx", "/api/donors/statement.xlsx" })
        {
            var content = document["paths"]![path]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
            content.Select(x => x.Key).ShouldBe([StatementWorkbook.ContentType], path);
            var schema = content[StatementWorkbook.ContentType]!["schema"]!["$ref"]!.GetValue<string>();
            document["components"]!["schemas"]![schema.Split('/').Last()]!.ToJsonString().ShouldBe("{\"type\":\"string\",\"format\":\"binary\"}", path);
        }
    }
}
