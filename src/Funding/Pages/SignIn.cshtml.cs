using Funding.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Funding.Pages;

/// <summary>
/// Signing in keeps a bearer token in the browser's session cookie. With the embedded default's development key a
/// person picks a name and role (the local demo users); otherwise they paste a token their organisation issued.
/// </summary>
public sealed class SignInModel(SigningKey key) : PageModel
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Token { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool DemoUsers => key.IsDevelopmentKey;

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
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
            token = TokenCommand.Issue(key, UserName!.Trim(), [Role!], Lifetime);
        }

        BrowserSession.SignIn(Response, token, Lifetime);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    public IActionResult OnPostSignOut()
    {
        BrowserSession.SignOut(Response);
        return LocalRedirect(BrowserSession.SignInPath);
    }
}
