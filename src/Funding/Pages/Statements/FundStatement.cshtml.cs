using Funding.Audit.Replay;
using Funding.Audit.Viewing;
using Funding.Funds;
using Funding.Statements;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Funding.Pages.Statements;

/// <summary>
/// A fund's statement, as at a date and as known on a day, with CSV download; and, for auditors, the fund's events
/// with who recorded what, when and why. Changing the dates re-renders the statement from the events.
/// </summary>
public sealed class FundStatementModel(IQuerySession session) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? AsAt { get; set; }
    [BindProperty(SupportsGet = true)] public string? KnownOn { get; set; }

    public Fund Fund { get; private set; } = null!;
    public FundStatementReport? Statement { get; private set; }
    public IReadOnlyList<AuditedEvent> History { get; private set; } = [];
    public long HistoryTotal { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellation)
    {
        var fund = await session.LoadAsync<Fund>(id, cancellation);
        if (fund is null) return NotFound();
        Fund = fund;
        if (!HistoricalStatements.TryParse(AsAt, KnownOn, out var cut, out _))
        {
            Problem = "Give dates as yyyy-MM-dd.";
            return Page();
        }

        Statement = await Funding.Statements.Statements.FundStatementAsync(session, id, cut, cancellation);
        (History, HistoryTotal) = await AuditTrail.Search(session, new AuditSearch(FundId: id), new Funding.Shared.Page(1, 500), cancellation);
        return Page();
    }
}
