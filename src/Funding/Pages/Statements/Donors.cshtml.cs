using Funding.Audit.Replay;
using Funding.Funds;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Funding.Pages.Statements;

/// <summary>The donor statement: pledged, signed, received and outstanding per donor, fund and year, with CSV download.</summary>
public sealed class DonorsModel(IQuerySession session) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Donor { get; set; }
    [BindProperty(SupportsGet = true)] public string? AsAt { get; set; }
    [BindProperty(SupportsGet = true)] public string? KnownOn { get; set; }

    public IReadOnlyList<DonorStatementLine> Lines { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> FundCodes { get; private set; } = new Dictionary<Guid, string>();
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        if (!HistoricalStatements.TryParse(AsAt, KnownOn, out var cut, out _))
        {
            Problem = "Give dates as yyyy-MM-dd.";
            return;
        }

        Lines = await Funding.Statements.Statements.DonorStatementAsync(
            session, string.IsNullOrEmpty(Donor) ? null : Donor, cut, cancellation, Access.ReadScope.FundIds(HttpContext));
        FundCodes = (await session.Query<Fund>().ToListAsync(cancellation)).ToDictionary(x => x.Id, x => x.Code);
    }
}
