using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Funding.Pages;

/// <summary>What a person sees instead of a bare error status on a page (the API keeps its ProblemDetails).</summary>
public sealed class StatusModel : PageModel
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => (Title, Explanation) = code switch
    {
        403 => ("Not for your role", "Your role may read the ledger but not do this. Sign in with a role that may, or ask a colleague who holds it."),
        404 => ("Not found", "There is no such page, package or fund."),
        _ => ("Something went wrong", $"The service answered {code}. Nothing was recorded by this page."),
    };
}
