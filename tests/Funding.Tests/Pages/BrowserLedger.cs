using System.Net.Http.Headers;
using System.Net.Http.Json;
using Funding.Access;
using Funding.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;

namespace Funding.Tests.Pages;

/// <summary>
/// The service as a user runs it (a real process on the embedded PostgreSQL), with a small ledger recorded over its
/// API, and headless Debian Chromium driven by Playwright. Never downloads a browser.
/// </summary>
public sealed class BrowserLedger : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    ServiceProcess service = null!;
    IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public Uri BaseAddress => service.BaseAddress;
    public string DataDirectory { get; } = TestCluster.NewScratchDirectory("browser");
    public Guid FundId { get; private set; }
    public Guid UnderAssessmentId { get; private set; }
    public Guid ApprovedId { get; private set; }
    public Guid AuditedId { get; private set; }

    /// <summary>Approved, with an agreement earmarked to it whose first instalment falls due after its first phase starts.</summary>
    public Guid RevisedId { get; private set; }

    public async Task InitializeAsync()
    {
        service = ServiceProcess.Start(DataDirectory);
        try
        {
            await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            await Record();
            await WarmUp();
            playwright = await Playwright.CreateAsync();
            Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                // Root in CI: Chromium's sandbox needs user namespaces it may not get.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: stop the service here, or it outlives the run.
            await service.DisposeAsync();
            playwright?.Dispose();
            throw;
        }
    }

    /// <summary>A client of the API acting as the given user and role, signed with the embedded default's development key.</summary>
    public HttpClient Api(string user, string role)
    {
        var key = SigningKey.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Funding:Postgres:DataDirectory"] = DataDirectory }).Build());
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenCommand.Issue(key, user, [role], TimeSpan.FromHours(1)));
        return client;
    }

    /// <summary>How many events the ledger holds: a page that writes nothing leaves it unchanged.</summary>
    public async Task<long> EventCount()
    {
        using var auditor = Api("auditor", Roles.Auditor);
        using var answer = await auditor.GetAsync("/api/audit/events?pageSize=1");
        answer.EnsureSuccessStatusCode();
        return long.Parse(answer.Headers.GetValues("X-Total-Count").Single());
    }

    /// <summary>A page signed in through the sign-in form as a demo user.</summary>
    public async Task<IPage> SignedIn(string user, string role)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        // A loaded CI machine (other service processes, Chromium) can take a while over a first page.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Your name").FillAsync(user);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/sign-in", StringComparison.Ordinal));
        return page;
    }

    async Task Record()
    {
        using var admin = Api("ada", Roles.Administrator);
        using var finance = Api("fin", Roles.FinanceOfficer);
        using var ead = Api("ead", Roles.FocalPoint);
        using var focal = Api("focal", Roles.FocalPoint);
        async Task<T> Post<T>(HttpClient client, string url, object body)
        {
            using var answer = await client.PostAsJsonAsync(url, body);
            if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            return (await answer.Content.ReadFromJsonAsync<T>())!;
        }

        object Usd(decimal amount) => new { amount, currency = "USD" };
        var today = DateTime.UtcNow.Date;
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd");

        FundId = (await Post<Funding.Funds.Establishing.FundCreated>(admin, "/api/funds", new
        {
            code = "BR-TF", name = "Browser test trust fund", kind = "TrustFund", administrativeAgentFeePercent = 0, defaultIndirectCostPercent = 7,
            establishedOn = Day(-60),
        })).FundId;

        async Task<Guid> Package(string code, string country, bool approve)
        {
            var id = (await Post<Funding.Packages.Requesting.PackageCreated>(focal, "/api/packages", new
            {
                code, country, electoralProcess = "General elections", electionDay = Day(200), origin = "MemberStateRequest", requestedOn = Day(-30),
            })).PackageId;
            await Post<object>(ead, $"/api/packages/{id}/needs-assessment", new
            {
                assessedOn = Day(-20), implementingOrganisations = new[] { "UNDP" },
                phases = new[]
                {
                    new { phase = "VoterRegistration", startsOn = Day(20), endsOn = Day(80), budget = Usd(400_000m) },
                    new { phase = "Polling", startsOn = Day(190), endsOn = Day(200), budget = Usd(600_000m) },
                },
            });
            if (approve)
            {
                await Post<object>(focal, $"/api/packages/{id}/approval", new
                {
                    approvedOn = Day(-10), phases = new[] { new { phase = "VoterRegistration", budget = Usd(400_000m) }, new { phase = "Polling", budget = Usd(600_000m) } },
                });
            }

            return id;
        }

        ApprovedId = await Package("BR-APPROVED", "GN", approve: true);
        UnderAssessmentId = await Package("BR-ASSESSED", "MW", approve: false);
        AuditedId = await Package("BR-AUDITED", "LR", approve: false);
        await Post<object>(finance, "/api/contributions/deposits", new { reference = "BR-SWE", fundId = FundId, donor = "Sweden", amount = Usd(300_000m), valueDate = Day(-5), transactionReference = "TX-BR-SWE" });
        RevisedId = await Package("BR-REVISED", "SL", approve: true);
        await Post<object>(finance, "/api/contributions/agreements", new
        {
            reference = "BR-JPN", fundId = FundId, donor = "Japan", amount = Usd(1_500_000m), signedOn = Day(-1), earmarkedPackageId = RevisedId,
            instalments = new[] { new { dueOn = Day(30), amount = Usd(500_000m) }, new { dueOn = Day(150), amount = Usd(1_000_000m) } },
        });
    }

    /// <summary>The pages' first requests compile their queries at run time: do that before any browser waits on it.</summary>
    async Task WarmUp()
    {
        using var page = Api("warm-up", Roles.FocalPoint);
        var token = page.DefaultRequestHeaders.Authorization!.Parameter!;
        page.DefaultRequestHeaders.Authorization = null;
        page.DefaultRequestHeaders.Add("Cookie", $"{BrowserSession.Cookie}={token}");
        page.Timeout = TimeSpan.FromMinutes(2);
        foreach (var url in new[] { "/", $"/packages/{UnderAssessmentId}", "/funds", $"/funds/{FundId}/statement", "/donors", "/receivables/ageing" })
        {
            (await page.GetAsync(url)).EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await service.DisposeAsync();
    }
}
