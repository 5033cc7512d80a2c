using System.Globalization;
using System.Net.Http.Json;
using Funding.Access;
using Funding.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Funding.Tests.Pages;

/// <summary>The pages in headless Chromium, as the three user groups use them. A failing test leaves a screenshot.</summary>
public class BrowserTests(BrowserLedger ledger) : IClassFixture<BrowserLedger>
{
    public static readonly string Screenshots = Path.Combine(Repository.Root, "tests", "Funding.Tests", "TestResults", "screenshots");

    /// <summary>Runs the steps; on failure saves a full-page screenshot named after the test, then fails.</summary>
    static async Task OnPage(IPage page, string name, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            Directory.CreateDirectory(Screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });
            throw;
        }
    }

    static ILocator Coverage(IPage page, string package, string phase) =>
        page.Locator($"tr[data-package='{package}'] .phase[data-phase='{phase}']");

    [Fact]
    public async Task every_page_sends_the_security_headers_and_nothing_on_it_breaks_the_content_security_policy()
    {
        var page = await ledger.SignedIn("csp-reader", Roles.FinanceOfficer);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) refused.Add(message.Text);
        };
        await OnPage(page, nameof(every_page_sends_the_security_headers_and_nothing_on_it_breaks_the_content_security_policy), async () =>
        {
            foreach (var url in (string[])["/", "/record/deposit", $"/packages/{ledger.UnderAssessmentId}", "/funds", $"/funds/{ledger.FundId}/statement"])
            {
                var headers = await (await page.GotoAsync(url))!.AllHeadersAsync();
                (headers["content-security-policy"].Contains("script-src 'self'", StringComparison.Ordinal),
                        headers["content-security-policy"].Contains("frame-ancestors 'none'", StringComparison.Ordinal),
                        headers["x-content-type-options"], headers["referrer-policy"])
                    .ShouldBe((true, true, "nosniff", "no-referrer"), url);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle); // its script and styles loaded, or refused
            }

            refused.ShouldBeEmpty();
        });
    }

    [Fact]
    public async Task one_finance_officer_asks_to_close_a_month_and_only_another_can_confirm_it()
    {
        var asker = await ledger.SignedIn("fin-asks", Roles.FinanceOfficer);
        await OnPage(asker, nameof(one_finance_officer_asks_to_close_a_month_and_only_another_can_confirm_it), async () =>
        {
            // A month long before anything this ledger holds, so the other pages' records stay open.
            await asker.GotoAsync("/record/close-month");
            await asker.GetByLabel("Month", new() { Exact = true }).FillAsync("2000-01");
            await asker.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            (await asker.Locator(".outcome.recorded").InnerTextAsync()).ShouldContain("Recorded: Month Close Requested.");

            await asker.GotoAsync("/record/confirm-close");
            await asker.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            (await asker.Locator(".outcome.refused").InnerTextAsync())
                .ShouldBe("fin-asks asked for this close, so another finance officer must confirm it. Nothing was recorded.");
        });

        var confirmer = await ledger.SignedIn("fin-confirms", Roles.FinanceOfficer);
        await OnPage(confirmer, nameof(one_finance_officer_asks_to_close_a_month_and_only_another_can_confirm_it), async () =>
        {
            await confirmer.GotoAsync("/record/confirm-close");
            await confirmer.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            (await confirmer.Locator(".outcome.recorded").InnerTextAsync()).ShouldContain("Recorded: Month Closed.");
        });
    }

    [Fact]
    public async Task a_finance_officer_records_a_deposit_and_an_allocation_and_the_dashboard_coverage_changes()
    {
        var page = await ledger.SignedIn("fin-ola", Roles.FinanceOfficer);
        await OnPage(page, nameof(a_finance_officer_records_a_deposit_and_an_allocation_and_the_dashboard_coverage_changes), async () =>
        {
            (await Coverage(page, "BR-APPROVED", "VoterRegistration").GetAttributeAsync("data-coverage")).ShouldBe("0");

            await page.GotoAsync("/record/deposit");
            await page.GetByLabel("Contribution reference").FillAsync("BR-NOR");
            await page.GetByLabel("Fund").SelectOptionAsync(ledger.FundId.ToString());
            await page.GetByLabel("Donor").FillAsync("Norway");
            await page.GetByLabel("Amount", new() { Exact = true }).FillAsync("250,000.00");
            await page.GetByLabel("Currency").SelectOptionAsync("USD");
            await page.GetByLabel("Bank transaction reference").FillAsync("DNBANOKK-0001");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            var outcome = page.Locator(".outcome.recorded");
            await outcome.WaitForAsync();
            (await outcome.InnerTextAsync()).ShouldContain("Recorded: Deposit Received.");
            (await page.Locator("table.postings tbody tr").AllInnerTextsAsync()).Select(x => x.Replace('\t', '|')).ShouldBe([
                "1000 Cash|250,000.00|", "4000 ContributionRevenue||250,000.00",
            ]);

            await page.GotoAsync("/record/allocation");
            await page.GetByLabel("Package", new() { Exact = true }).SelectOptionAsync(ledger.ApprovedId.ToString());
            await page.GetByLabel("Fund").SelectOptionAsync(ledger.FundId.ToString());
            await page.GetByLabel("Phase").SelectOptionAsync("VoterRegistration");
            await page.GetByLabel("Amount (USD)").FillAsync("400000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            await page.Locator(".outcome.recorded").WaitForAsync();

            await page.GotoAsync("/");
            (await Coverage(page, "BR-APPROVED", "VoterRegistration").GetAttributeAsync("data-coverage")).ShouldBe("100");
            (await Coverage(page, "BR-APPROVED", "Polling").GetAttributeAsync("data-coverage")).ShouldBe("0");
        });
    }

    [Fact]
    public async Task a_focal_point_runs_the_pre_approval_check_and_approves_and_the_package_leaves_under_assessment()
    {
        var page = await ledger.SignedIn("focal-kim", Roles.FocalPoint);
        await OnPage(page, nameof(a_focal_point_runs_the_pre_approval_check_and_approves_and_the_package_leaves_under_assessment), async () =>
        {
            await page.GotoAsync($"/packages/{ledger.UnderAssessmentId}");
            (await page.Locator(".stage").GetAttributeAsync("data-stage")).ShouldBe("NeedsAssessed");
            (await page.Locator(".stage strong").InnerTextAsync()).ShouldBe("Under assessment");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Pre-approval check: if approved now, is the money there?" }).WaitForAsync();
            (await page.Locator("[data-tier='pledges']").InnerTextAsync()).ShouldBe("USD 0.00");
            (await page.Locator("[data-check='flags']").InnerTextAsync()).ShouldNotBeEmpty();

            await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
            await page.WaitForSelectorAsync(".stage[data-stage='Approved']");
            (await page.Locator(".stage strong").InnerTextAsync()).ShouldBe("Approved");
            (await page.Locator("table.history tbody tr").AllInnerTextsAsync()).Last().ShouldContain("PackageApproved");
        });

        using var api = ledger.Api("auditor", Roles.Auditor);
        var status = await api.GetStringAsync($"/api/packages/{ledger.UnderAssessmentId}/status");
        status.ShouldContain("\"stage\":\"Approved\"");
    }

    [Fact]
    public async Task a_focal_point_sees_the_forecast_asks_for_a_revision_and_another_approves_it()
    {
        // The fund's cash is all needed by the other approved packages: this one waits for its earmarked instalments,
        // USD 500,000 in 30 days and 1,000,000 in 150.
        static async Task<string[]> Forecast(IPage page, string section) =>
            (await page.Locator($"section.forecast:has(#{section}) tbody tr").AllInnerTextsAsync()).Select(x => x.Replace('\t', '|')).ToArray();
        var today = DateTime.UtcNow.Date;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd");

        var page = await ledger.SignedIn("focal-kim", Roles.FocalPoint);
        await OnPage(page, nameof(a_focal_point_sees_the_forecast_asks_for_a_revision_and_another_approves_it), async () =>
        {
            await page.GotoAsync($"/packages/{ledger.RevisedId}");
            (await Forecast(page, "forecast")).ShouldBe([
                $"VoterRegistration|{Day(20)}|USD 400,000.00|{Day(30)}|ShortfallAtStart: USD 400,000.00|USD 0.00",
                $"Polling|{Day(190)}|USD 600,000.00|{Day(150)}|none|USD 0.00",
            ]);
            (await page.Locator("svg.forecast path[data-series='expected-cash']").CountAsync()).ShouldBe(1);
            (await page.Locator("svg.forecast rect[data-phase='VoterRegistration']").GetAttributeAsync("data-shortfall")).ShouldBe("true");

            await page.GetByLabel("Budget (USD)").Nth(1).FillAsync("1,200,000");
            await page.GetByLabel("Reason").FillAsync("A run-off round of polling");
            await page.GetByRole(AriaRole.Button, new() { Name = "Ask for the revision" }).ClickAsync();
            await page.Locator(".pending-revision[data-revision='1']").WaitForAsync();
            (await page.Locator(".pending-revision > table tbody tr").AllInnerTextsAsync()).Select(x => x.Replace('\t', '|')).ShouldBe([
                $"VoterRegistration|{Day(20)} – {Day(80)}|USD 400,000.00|USD 400,000.00",
                $"Polling|{Day(190)} – {Day(200)}|USD 600,000.00|USD 1,200,000.00",
            ]);
            // Revised, the earmarked 1,500,000 no longer covers both phases.
            (await Forecast(page, "revision-forecast")).ShouldBe([
                $"VoterRegistration|{Day(20)}|USD 400,000.00|{Day(30)}|ShortfallAtStart: USD 400,000.00|USD 0.00",
                $"Polling|{Day(190)}|USD 1,200,000.00|not covered by what is signed (USD 100,000.00 missing)|ShortfallAtStart: USD 100,000.00|USD 0.00",
            ]);
            (await page.Locator("[data-revision-check='gap']").InnerTextAsync()).ShouldNotBeEmpty();
        });

        var other = await ledger.SignedIn("focal-lee", Roles.FocalPoint);
        await OnPage(other, nameof(a_focal_point_sees_the_forecast_asks_for_a_revision_and_another_approves_it), async () =>
        {
            await other.GotoAsync($"/packages/{ledger.RevisedId}");
            await other.GetByRole(AriaRole.Button, new() { Name = "Approve the revision" }).ClickAsync();
            await other.GetByText("1 revision(s) approved").WaitForAsync();
            (await other.Locator(".pending-revision").CountAsync()).ShouldBe(0);
            (await Forecast(other, "forecast"))[1].ShouldStartWith($"Polling|{Day(190)}|USD 1,200,000.00|not covered by what is signed");
            (await other.Locator("table.history tbody tr").AllInnerTextsAsync()).Last().ShouldContain("BudgetRevisionApproved");
        });
    }

    [Fact]
    public async Task a_wrong_amount_shows_the_field_error_and_writes_nothing()
    {
        var page = await ledger.SignedIn("fin-ola", Roles.FinanceOfficer);
        await OnPage(page, nameof(a_wrong_amount_shows_the_field_error_and_writes_nothing), async () =>
        {
            var before = await ledger.EventCount();
            await page.GotoAsync("/record/deposit");
            await page.GetByLabel("Contribution reference").FillAsync("BR-WRONG");
            await page.GetByLabel("Donor").FillAsync("Denmark");
            var amount = page.GetByLabel("Amount", new() { Exact = true });
            var error = page.Locator("[data-error-for='amount.amount']");

            await amount.FillAsync("12.5.0");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            (await error.InnerTextAsync()).ShouldBe("Enter a number such as 1250000.00 (a point for decimals).");
            (await amount.GetAttributeAsync("aria-invalid")).ShouldBe("true");

            // The service's own rule, named beside the same field.
            await amount.FillAsync("-100");
            await page.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector(\"[data-error-for='amount.amount']\").textContent.length > 0 && document.querySelector('.outcome.refused')");
            (await error.InnerTextAsync()).ShouldNotContain("Enter a number");
            (await page.Locator(".outcome").InnerTextAsync()).ShouldContain("Nothing was recorded.");
            (await ledger.EventCount()).ShouldBe(before);
        });
    }

    [Fact]
    public async Task an_auditor_sees_the_check_but_not_the_approve_button_nor_the_forms()
    {
        var page = await ledger.SignedIn("aud-lee", Roles.Auditor);
        await OnPage(page, nameof(an_auditor_sees_the_check_but_not_the_approve_button_nor_the_forms), async () =>
        {
            await page.GotoAsync($"/packages/{ledger.AuditedId}");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Pre-approval check: if approved now, is the money there?" }).WaitForAsync();
            (await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).CountAsync()).ShouldBe(0);
            (await page.GetByRole(AriaRole.Link, new() { Name = "Record money" }).CountAsync()).ShouldBe(0);
            var forms = await page.GotoAsync("/record/deposit");
            forms!.Status.ShouldBe(403);
            (await page.Locator("h1").InnerTextAsync()).ShouldBe("Not for your role");
        });
    }

    [Theory]
    [InlineData(1366, 768)]
    [InlineData(768, 1024)]
    public async Task the_dashboard_fits_laptop_and_tablet_widths_and_is_usable_by_keyboard(int width, int height)
    {
        var page = await ledger.SignedIn("aud-lee", Roles.Auditor);
        await OnPage(page, $"dashboard-{width}x{height}", async () =>
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/");
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).ShouldBeTrue();
            // Tab from the top reaches the first package's link.
            for (var i = 0; i < 40 && await page.EvaluateAsync<string>("() => document.activeElement?.textContent ?? ''") != "BR-APPROVED"; i++)
                await page.Keyboard.PressAsync("Tab");
            (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).ShouldBe("BR-APPROVED");
            // The wait is set up before Enter, so a navigation that finishes first is not missed.
            var arrived = page.WaitForURLAsync($"**/packages/{ledger.ApprovedId}", new() { WaitUntil = WaitUntilState.Commit });
            await page.Keyboard.PressAsync("Enter");
            await arrived;
        });
    }

    [Fact]
    public async Task an_auditor_re_renders_the_fund_statement_as_known_on_a_day_and_downloads_it_as_csv_and_excel()
    {
        var page = await ledger.SignedIn("aud-lee", Roles.Auditor);
        await OnPage(page, nameof(an_auditor_re_renders_the_fund_statement_as_known_on_a_day_and_downloads_it_as_csv_and_excel), async () =>
        {
            await page.GotoAsync("/funds");
            await page.GetByRole(AriaRole.Link, new() { Name = "BR-TF" }).ClickAsync();
            (await page.Locator("tr[data-line='Contributions'] td").InnerTextAsync()).ShouldNotBe("USD 0.00");
            (await page.Locator("table.history tbody tr").AllInnerTextsAsync()).ShouldContain(x => x.Contains("FundEstablished") && x.Contains("ada"));

            // Before anything was recorded, the fund did not exist.
            var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
            await page.GetByLabel("As known on (what had been recorded by that day)").FillAsync(yesterday);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.GetByText("The fund did not exist as at that date, as known on that day.").WaitForAsync();

            await page.GetByLabel("As known on (what had been recorded by that day)").FillAsync(DateTime.UtcNow.ToString("yyyy-MM-dd"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
            csv[0].ShouldBe("Line,Usd");
            csv.ShouldContain(x => x.StartsWith("Total balance,", StringComparison.Ordinal));
            download.SuggestedFilename.ShouldStartWith("fund-statement-BR-TF-as-at-today-known-on-");
            var excel = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download Excel" }).ClickAsync());
            excel.SuggestedFilename.ShouldBe(Path.ChangeExtension(download.SuggestedFilename, ".xlsx"));
            var statement = XlsxWorkbook.Open(await File.ReadAllBytesAsync((await excel.PathAsync())!)).Sheets.Single();
            statement.Texts(18)[0].ShouldBe("Total balance");
            statement.Value("B18").ShouldBe(decimal.Parse(csv.Single(x => x.StartsWith("Total balance,", StringComparison.Ordinal)).Split(',')[1], CultureInfo.InvariantCulture));

            await page.GotoAsync("/donors?donor=Sweden");
            (await page.Locator("tbody tr").AllInnerTextsAsync()).Single().Replace('\t', '|')
                .ShouldBe($"Sweden|BR-TF|{DateTime.UtcNow.AddDays(-5).Year}|USD 0.00|USD 0.00|USD 300,000.00|USD 0.00|USD 0.00|USD 0.00");
            var donors = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            (await File.ReadAllLinesAsync((await donors.PathAsync())!)).ShouldBe([
                "Donor,Fund,Year,Pledged,Signed,Received,OutstandingReceivable,OutstandingPledge,RefundedAtClosure",
                $"Sweden,BR-TF,{DateTime.UtcNow.AddDays(-5).Year},0,0,300000,0,0,0",
            ]);
            var donorsExcel = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download Excel" }).ClickAsync());
            var donorSheet = XlsxWorkbook.Open(await File.ReadAllBytesAsync((await donorsExcel.PathAsync())!)).Sheets.Single();
            (donorSheet.Texts(2)[0], donorSheet.Value("F2"), donorSheet.Value("F3")).ShouldBe(("Sweden", 300_000m, 300_000m));
        });
    }

    [Fact]
    public async Task a_finance_officer_chooses_a_month_or_a_year_and_sees_opening_movements_and_closing()
    {
        var page = await ledger.SignedIn("fin-per", Roles.FinanceOfficer);
        await OnPage(page, nameof(a_finance_officer_chooses_a_month_or_a_year_and_sees_opening_movements_and_closing), async () =>
        {
            await page.GotoAsync($"/funds/{ledger.FundId}/statement");
            var today = DateTime.UtcNow;
            var period = page.GetByLabel("Or a period (opening, movements, closing)");

            // This year is not over: the page says so.
            await period.SelectOptionAsync(today.ToString("yyyy"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            (await page.Locator("p.note").InnerTextAsync()).ShouldStartWith($"{today:yyyy} is not over yet");
            (await page.Locator("table.period thead th").AllInnerTextsAsync()).Select(x => x.Replace('\n', ' ')).ShouldBe([
                "Line", $"Opening as at {today.Year - 1}-12-31", "Movements", $"Closing as at {today.Year}-12-31",
            ]);

            // The month of Sweden's deposit opens with no contributions; every line's opening and movements make its closing.
            var month = today.AddDays(-5);
            await page.GetByLabel("Or a period (opening, movements, closing)").SelectOptionAsync(month.ToString("yyyy-MM"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.Locator($"caption:has-text('Fund statement for {month.ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}')").WaitForAsync();
            (await page.Locator("tr[data-line='Contributions'] td[data-column='opening']").InnerTextAsync()).ShouldBe("USD 0.00");
            static decimal Usd(string text) => decimal.Parse(text.Replace("USD ", "").Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
            var rows = page.Locator("table.period tbody tr");
            (await rows.CountAsync()).ShouldBe(22);
            for (var i = 0; i < 18; i++)
            {
                var cells = (await rows.Nth(i).Locator("td").AllInnerTextsAsync()).Select(Usd).ToList();
                (cells[0] + cells[1]).ShouldBe(cells[2]);
            }

            (await page.Locator("tr[data-line='Contributions'] td[data-column='movement']").InnerTextAsync()).ShouldNotBe("USD 0.00");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            (await File.ReadAllLinesAsync((await download.PathAsync())!))[0].ShouldBe("Line,Opening,Movement,Closing");
            download.SuggestedFilename.ShouldStartWith($"fund-statement-BR-TF-{month:yyyy-MM}");

            // A period and a date at once is not a question the page can answer.
            await page.GotoAsync($"/funds/{ledger.FundId}/statement?period={month:yyyy-MM}&asAt={month:yyyy-MM-dd}");
            (await page.Locator("p.error").InnerTextAsync()).ShouldBe("Choose either a period or an as-at date, not both: a period is as at the day before it and as at its last day.");
        });
    }

    [Fact]
    public async Task a_finance_officer_sees_what_is_past_due_by_donor_and_fund_as_at_a_date_and_the_dashboard_shows_the_total()
    {
        // A fund of its own, for a country no package here is in, so nothing else on the pages changes: the European
        // Union signs for EUR 1,000,000 in three instalments and pays EUR 450,000, the first and part of the second.
        var today = DateTime.UtcNow.Date;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd");
        object Eur(decimal amount) => new { amount, currency = "EUR" };
        using var admin = ledger.Api("ada", Roles.Administrator);
        using var finance = ledger.Api("fin", Roles.FinanceOfficer);
        async Task<System.Text.Json.JsonElement> Post(HttpClient client, string url, object body)
        {
            using var answer = await client.PostAsJsonAsync(url, body);
            answer.IsSuccessStatusCode.ShouldBeTrue($"{url}: {await answer.Content.ReadAsStringAsync()}");
            return await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        }

        var fundId = (await Post(admin, "/api/funds", new
        {
            code = "BR-AGE", name = "Browser ageing fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            eligibleCountries = new[] { "TD" }, establishedOn = Day(-200),
        })).GetProperty("fundId").GetString();
        await Post(finance, "/api/rates", new { effectiveOn = Day(-200), kind = "Monthly", reference = "UNORE browser", rates = new[] { new { currency = "EUR", unitsPerUsd = 0.9m } } });
        await Post(finance, "/api/contributions/agreements", new
        {
            reference = "BR-EU", fundId, donor = "European Union", amount = Eur(1_000_000m), signedOn = Day(-150),
            instalments = new[] { new { dueOn = Day(-120), amount = Eur(300_000m) }, new { dueOn = Day(-40), amount = Eur(300_000m) }, new { dueOn = Day(60), amount = Eur(400_000m) } },
        });
        await Post(finance, "/api/contributions/deposits", new { reference = "BR-EU", fundId, donor = "European Union", amount = Eur(450_000m), valueDate = Day(-100), transactionReference = "TX-BR-EU" });

        static async Task<string[]> Rows(IPage page) =>
            (await page.Locator("table.ageing tbody tr").AllInnerTextsAsync()).Select(x => string.Join(" ", x.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToArray();

        var page = await ledger.SignedIn("fin-ola", Roles.FinanceOfficer);
        await OnPage(page, nameof(a_finance_officer_sees_what_is_past_due_by_donor_and_fund_as_at_a_date_and_the_dashboard_shows_the_total), async () =>
        {
            // The dashboard's total is every fund's: here only this agreement is past due (EUR 150,000 at 0.9).
            (await page.Locator("[data-total='past-due'] a").InnerTextAsync()).ShouldBe("USD 166,666.67");
            await page.Locator("[data-total='past-due'] a").ClickAsync();
            await page.WaitForURLAsync("**/receivables/ageing");

            await page.GetByLabel("Fund").SelectOptionAsync(fundId!);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync($"**/receivables/ageing?fundId={fundId}*");
            (await Rows(page)).ShouldBe([
                "European Union · BR-AGE USD 444,444.44 USD 0.00 USD 166,666.67 USD 0.00 USD 0.00 USD 166,666.67",
                $"BR-EU EUR at 0.9 per USD, in force from {Day(-200)} EUR 400,000.00 USD 444,444.44 – EUR 150,000.00 USD 166,666.67 – – EUR 150,000.00 USD 166,666.67 {Day(-40)} (40 days)",
            ]);
            (await page.Locator("[data-total='past-due'] strong").InnerTextAsync()).ShouldBe("USD 166,666.67");

            // Fifty days ago the second instalment was not yet due.
            await page.GetByLabel("As at").FillAsync(Day(-50));
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await page.WaitForURLAsync($"**asAt={Day(-50)}*");
            (await Rows(page))[1].ShouldBe($"BR-EU EUR at 0.9 per USD, in force from {Day(-200)} EUR 550,000.00 USD 611,111.11 – – – – –");
            (await page.Locator("[data-total='past-due'] strong").InnerTextAsync()).ShouldBe("USD 0.00");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
            download.SuggestedFilename.ShouldBe($"receivables-ageing-as-at-{Day(-50)}.csv");
            (await File.ReadAllLinesAsync((await download.PathAsync())!)).ShouldBe([
                string.Join(",", Funding.Statements.Ageing.ReceivablesAgeingCsv.Header),
                $"European Union,BR-AGE,BR-EU,EUR,,,550000,0,0,0,0,0,0.9,{Day(-200)},611111.11,0,0,0,0,0,611111.11,",
            ]);
        });
    }
}
