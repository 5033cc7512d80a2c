using Funding.Access;
using Funding.Funds;
using Funding.Packages;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;

namespace Funding.Pages.Record;

public enum FieldKind
{
    Text,
    Amount,
    Date,
    Choice,
}

/// <summary>One field of a form: its name is the path of the command's JSON property it fills, e.g. "amount.amount".</summary>
/// <param name="InPath">Fills the {placeholder} of the endpoint's path rather than the body.</param>
public sealed record FormField(string Name, string Label, FieldKind Kind, IReadOnlyList<(string Value, string Text)>? Choices = null, bool Optional = false,
    string? Hint = null, bool InPath = false, string? Value = null);

/// <summary>A finance officer's form: a title, the API endpoint it posts to, and its fields.</summary>
public sealed record MoneyForm(string Key, string Title, string Endpoint, IReadOnlyList<FormField> Fields);

/// <summary>
/// The finance officer's forms. Each posts the command to the same API endpoint a client would use (so the same
/// rules, idempotency and postings apply), shows a refused field's message beside it, and the postings when recorded.
/// </summary>
[Authorize(Roles = Roles.FinanceOfficer)]
public sealed class RecordMoneyModel(IQuerySession session, IClock clock) : PageModel
{
    static readonly string[] Currencies = ["USD", "EUR", "GBP", "NOK", "SEK", "DKK", "CHF", "JPY", "CAD", "AUD"];

    public IReadOnlyList<MoneyForm> Forms { get; private set; } = [];
    public MoneyForm Form { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? form, CancellationToken cancellation)
    {
        var today = clock.GetCurrentInstant().InUtc().Date.ToString("uuuu-MM-dd", null);
        // Only the funds the person records money for: a write to any other is refused (Remit).
        var remit = Remit.Of(HttpContext);
        var funds = (await session.Query<Fund>().ToListAsync(cancellation))
            .Where(x => x.Status == FundStatus.Open && remit.CoversFund(x.Code)).OrderBy(x => x.Code, StringComparer.Ordinal)
            .Select(x => (x.Id.ToString(), $"{x.Code} — {x.Name}")).ToList();
        var all = (await session.Query<Package>().ToListAsync(cancellation)).OrderBy(x => x.Code, StringComparer.Ordinal).ToList();
        var approved = all.Where(x => x.Status == PackageStatus.Approved).Select(x => (x.Id.ToString(), $"{x.Code} ({x.Country})")).ToList();
        var packages = all.Where(x => x.Status != PackageStatus.Closed).Select(x => (x.Id.ToString(), $"{x.Code} ({x.Country})")).ToList();
        var currencies = Currencies.Select(x => (x, x)).ToList();
        var usd = new List<(string, string)> { ("USD", "USD") };
        var phases = Enum.GetNames<ElectoralPhase>().Select(x => (x, x)).ToList();

        FormField Fund() => new("fundId", "Fund", FieldKind.Choice, funds);
        FormField Amount(string name, string label, IReadOnlyList<(string, string)> currency) =>
            new($"{name}.amount", label, FieldKind.Amount, Hint: "e.g. 1250000.00");
        FormField Currency(string name, IReadOnlyList<(string, string)> currency) => new($"{name}.currency", "Currency", FieldKind.Choice, currency);
        FormField Date(string name, string label) => new(name, label, FieldKind.Date, Value: today);
        FormField Package(IReadOnlyList<(string, string)> choices) => new("packageId", "Package", FieldKind.Choice, choices, InPath: true);

        Forms =
        [
            new("deposit", "Deposit (cash received)", "/api/contributions/deposits",
                [new("reference", "Contribution reference", FieldKind.Text, Hint: "the agreement's reference, or a new one for direct cash"), Fund(),
                 new("donor", "Donor", FieldKind.Text), Amount("amount", "Amount", currencies), Currency("amount", currencies), Date("valueDate", "Value date"),
                 new("transactionReference", "Bank transaction reference", FieldKind.Text, Hint: "as on the bank statement: the same reference is never recorded twice")]),
            new("pledge", "Pledge (indicative)", "/api/contributions/pledges",
                [new("reference", "Contribution reference", FieldKind.Text), Fund(), new("donor", "Donor", FieldKind.Text),
                 Amount("amount", "Amount", currencies), Currency("amount", currencies), Date("pledgedOn", "Pledged on"),
                 new("earmarkedPackageId", "Earmarked to package", FieldKind.Choice, packages, Optional: true)]),
            new("agreement", "Signed agreement", "/api/contributions/agreements",
                [new("reference", "Contribution reference", FieldKind.Text), Fund(), new("donor", "Donor", FieldKind.Text),
                 Amount("amount", "Amount", currencies), Currency("amount", currencies), Date("signedOn", "Signed on"),
                 new("earmarkedPackageId", "Earmarked to package", FieldKind.Choice, packages, Optional: true)]),
            new("allocation", "Allocation to a package", "/api/packages/{packageId}/allocations",
                [Package(approved), Fund(), new("phase", "Phase", FieldKind.Choice, phases), Amount("amount", "Amount (USD)", usd), Currency("amount", usd),
                 Date("allocatedOn", "Allocated on")]),
            new("transfer", "Transfer to an implementing organisation", "/api/packages/{packageId}/transfers",
                [Package(approved), Fund(), new("phase", "Phase", FieldKind.Choice, phases), new("implementingOrganisation", "Implementing organisation", FieldKind.Text),
                 Amount("programmable", "Programmable cost (USD)", usd), Currency("programmable", usd), Date("transferredOn", "Transferred on")]),
            new("expenditure", "Expenditure report", "/api/packages/{packageId}/expenditure",
                [Package(approved), Fund(), new("phase", "Phase", FieldKind.Choice, phases), new("implementingOrganisation", "Implementing organisation", FieldKind.Text),
                 new("basis", "Basis", FieldKind.Choice, [("Interim", "Interim"), ("Certified", "Certified")]),
                 Amount("cumulativeToDate", "Spent to date, cumulative (USD)", usd), Currency("cumulativeToDate", usd), Date("asOf", "As of")]),
            new("rates", "UN operational rates", "/api/rates",
                [Date("effectiveOn", "Effective on"), new("kind", "Revision", FieldKind.Choice, [("Monthly", "Monthly"), ("MidMonth", "Mid-month")]),
                 new("reference", "Reference", FieldKind.Text, Hint: "e.g. UNORE 2025-07"),
                 .. Enumerable.Range(0, 3).SelectMany(i => new FormField[]
                 {
                     new($"rates[{i}].currency", $"Currency {i + 1}", FieldKind.Choice, currencies.Where(x => x.Item1 != "USD").ToList(), Optional: i > 0),
                     new($"rates[{i}].unitsPerUsd", $"Units per USD {i + 1}", FieldKind.Amount, Optional: i > 0),
                 })]),
        ];
        Forms =
        [
            .. Forms,
            new("close-month", "Close a month (asked by one finance officer)", "/api/periods/closings",
                [new("month", "Month", FieldKind.Text, Hint: "yyyy-MM; months close in order, once each fund's receivables are revalued at its end",
                    Value: clock.GetCurrentInstant().InUtc().Date.PlusMonths(-1).ToString("uuuu-MM", null))]),
            new("confirm-close", "Confirm the month's close (a second finance officer)", "/api/periods/closings/confirmation", []),
        ];
        var chosen = Forms.FirstOrDefault(x => x.Key == (form ?? "deposit"));
        if (chosen is null) return NotFound();
        Form = chosen;
        return Page();
    }
}
