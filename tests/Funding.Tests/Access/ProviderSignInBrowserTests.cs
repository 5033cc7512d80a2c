using Funding.Access;
using Funding.Tests.Infrastructure;
using Funding.Tests.Pages;
using Microsoft.Playwright;

namespace Funding.Tests.Access;

/// <summary>
/// The pages signing in at the organisation's provider, in headless Debian Chromium: the service as a real process
/// (Kestrel, a production connection string, no shared key) and the test provider's login form (code flow with PKCE).
/// </summary>
public sealed class ProviderSignInBrowserTests : IAsyncLifetime
{
    static readonly OidcUser Finance = new("fin.amina", "amina-password", [Roles.FinanceOfficer], Funds: ["OIDC-TF"]);

    OidcProvider provider = null!;
    ServiceProcess service = null!;
    IPlaywright playwright = null!;
    IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        provider = await OidcProvider.Start([Finance]);
        service = ServiceProcess.Start(TestCluster.NewScratchDirectory("oidc-browser"),
        [
            ("ConnectionStrings__Funding", TestCluster.CreateDatabase(nameof(ProviderSignInBrowserTests))),
            ("Funding__Database__ApplySchemaChanges", "true"),
            .. OidcApp.ProviderSettings(provider).Select(x => (x.Name.Replace(":", "__"), x.Value)),
        ]);
        try
        {
            await service.WaitUntilHealthy(TimeSpan.FromSeconds(90));
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = BrowserLedger.Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task a_page_sends_the_person_to_the_providers_login_and_back_signed_in_then_signing_out_ends_both_sessions()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString() });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/funds");
            // Through /sign-in straight on to the provider, which asks for the password.
            await page.WaitForURLAsync(url => url.StartsWith(new Uri(provider.Issuer, "connect/authorize").ToString(), StringComparison.Ordinal));
            (await page.Locator("h1").InnerTextAsync()).ShouldBe("Test provider sign-in");
            page.Url.ShouldContain("code_challenge_method=S256");
            await page.GetByLabel("Username").FillAsync(Finance.UserName);
            await page.GetByLabel("Password").FillAsync(Finance.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await page.WaitForURLAsync(new Uri(service.BaseAddress, "/funds").ToString());
            (await page.Locator("form.who span").InnerTextAsync()).ShouldBe("fin.amina (FinanceOfficer)");
            var session = (await context.CookiesAsync()).Single(x => x.Name == BrowserSession.ProviderCookie);
            (session.HttpOnly, session.SameSite, session.Secure).ShouldBe((true, SameSiteAttribute.Lax, false));

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(new Uri(service.BaseAddress, BrowserSession.SignInPath).ToString());
            provider.EndSessions.ShouldBe([new Uri(service.BaseAddress, "/signout-callback-oidc").ToString()]);
            (await context.CookiesAsync()).Select(x => x.Name).ShouldNotContain(BrowserSession.ProviderCookie);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).WaitForAsync();

            // Signed out: a page goes back to the provider's login.
            await page.GotoAsync("/funds");
            await page.WaitForURLAsync(url => url.StartsWith(new Uri(provider.Issuer, "connect/authorize").ToString(), StringComparison.Ordinal));
        }
        catch (Exception e)
        {
            Directory.CreateDirectory(BrowserTests.Screenshots);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(BrowserTests.Screenshots, $"{nameof(a_page_sends_the_person_to_the_providers_login_and_back_signed_in_then_signing_out_ends_both_sessions)}.png"),
                FullPage = true,
            });
            // The service's log says why a redirect went elsewhere (a refused callback, a correlation cookie missing).
            throw new InvalidOperationException($"{e.Message}\nat {page.Url}\nService output:\n{service.Output[^Math.Min(service.Output.Length, 6000)..]}", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
        playwright?.Dispose();
        if (service is not null) await service.DisposeAsync();
        if (provider is not null) await provider.DisposeAsync();
    }
}
