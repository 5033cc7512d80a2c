using Funding.Funds;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Funding.Pages.Statements;

/// <summary>The funds, each with its statement.</summary>
public sealed class FundsModel(IQuerySession session) : PageModel
{
    public IReadOnlyList<Fund> Funds { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        var query = session.Query<Fund>().AsQueryable();
        if (Access.ReadScope.FundIds(HttpContext) is { } mine) query = query.Where(x => x.Id.IsOneOf(mine.ToArray()));
        Funds = (await query.ToListAsync(cancellation)).OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
    }
}
