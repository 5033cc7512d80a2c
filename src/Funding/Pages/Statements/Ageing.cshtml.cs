using Funding.Audit.Replay;
using Funding.Funds;
using Funding.Statements.Ageing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Funding.Pages.Statements;

/// <summary>
/// For finance officers chasing money: the instalments due and not received by donor and fund, by how long past due,
/// as at a date (default today) and as known on a day, with CSV download.
/// </summary>
public sealed class AgeingModel(IQuerySession session, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? FundId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Donor { get; set; }
    [BindProperty(SupportsGet = true)] public string? AsAt { get; set; }
    [BindProperty(SupportsGet = true)] public string? KnownOn { get; set; }

    public IReadOnlyList<Fund> Funds { get; private set; } = [];
    public ReceivablesAgeingReport? Report { get; private set; }
    public string? Problem { get; private set; }

    /// <summary>The same question to the CSV endpoint.</summary>
    public string Query => string.Join("&", new[] { ("fundId", FundId), ("donor", Donor), ("asAt", AsAt), ("knownOn", KnownOn) }
        .Where(x => !string.IsNullOrEmpty(x.Item2)).Select(x => $"{x.Item1}={Uri.EscapeDataString(x.Item2!)}"));

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Funds = (await session.Query<Fund>().ToListAsync(cancellation)).OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
        Guid? fundId = null;
        if (!string.IsNullOrEmpty(FundId))
        {
            if (!Guid.TryParse(FundId, out var id) || Funds.All(x => x.Id != id))
            {
                Problem = "Choose a fund from the list.";
                return;
            }

            fundId = id;
        }

        if (!HistoricalStatements.TryParse(NullIfEmpty(AsAt), NullIfEmpty(KnownOn), out var cut, out _))
        {
            Problem = "Give dates as yyyy-MM-dd.";
            return;
        }

        var day = cut.AsAt ?? clock.GetCurrentInstant().InUtc().Date;
        Report = await Funding.Statements.Statements.ReceivablesAgeingAsync(session, fundId, NullIfEmpty(Donor), cut, day, cancellation, Access.ReadScope.FundIds(HttpContext));
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
