using Funding.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Funding.Pages;

/// <summary>
/// Signing in. With the organisation's provider set up for the pages (Funding:Auth:Authority and ClientId) the
/// person signs in there and comes back with a session. Otherwise the session cookie keeps a bearer token: with the
/// embedded default's development key a person picks a name and role (the local demo users), else they paste a
/// token their organisation issued.
/// </summary>
public sealed class SignInModel(SigningKey key, IOptions<AuthOptions> auth) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Token { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>Set when the provider refused or the sign-in there was abandoned.</summary>
    [BindProperty(SupportsGet = true)] public bool Failed { get; set; }

    public bool DemoUsers => key.IsDevelopmentKey;

    public bool AtProvider => Access.SignIn.PagesSignInAtProvider(auth.Value);

    string Destination => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public IActionResult OnGet() =>
        // A page that sent the person here goes straight on to the provider; a plain visit (after signing out, say) shows the button.
        AtProvider && !Failed && Url.IsLocalUrl(ReturnUrl) ? AtTheProvider() : Page();

    public IActionResult OnPost()
    {
        if (AtProvider) return AtTheProvider();
        string token;
        if (!string.IsNullOrWhiteSpace(Token))
        {
            token = Token.Trim();
        }
        else if (!DemoUsers)
        {
            ModelState.AddModelError(nameof(Token), "Paste the bearer token your organisation issued you.");
            return Page();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(UserName) || UserName.Trim().Length > 100)
                ModelState.AddModelError(nameof(UserName), "Your name, as it will appear on what you record (up to 100 characters).");
            if (Role is null || !Roles.All.Contains(Role)) ModelState.AddModelError(nameof(Role), "Choose the role you work in.");
            if (!ModelState.IsValid) return Page();
            token = TokenCommand.Issue(key, UserName!.Trim(), [Role!], BrowserSession.Lifetime);
        }

        BrowserSession.SignIn(Response, token, BrowserSession.Lifetime);
        return LocalRedirect(Destination);
    }

    public IActionResult OnPostSignOut()
    {
        if (!AtProvider)
        {
            BrowserSession.SignOut(Response);
            return LocalRedirect(BrowserSession.SignInPath);
        }

        // Out of the session here and at the provider (its end-session endpoint), which sends the browser back here.
        return SignOut(new AuthenticationProperties { RedirectUri = BrowserSession.SignInPath }, Access.SignIn.CookieScheme, Access.SignIn.ProviderScheme);
    }

    IActionResult AtTheProvider() => Challenge(new AuthenticationProperties { RedirectUri = Destination }, Access.SignIn.ProviderScheme);
}
