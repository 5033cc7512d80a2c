using System.Globalization;

namespace Funding.Statements.Ageing;

/// <summary>The ageing as CSV, one row per agreement owed: its amounts by age in its currency, then in USD, then what the books carry.</summary>
public static class ReceivablesAgeingCsv
{
    public static readonly string[] Header =
    [
        "Donor", "Fund", "Reference", "Currency", "OldestDueOn", "DaysPastDue",
        "NotYetDue", "Days0To30", "Days31To90", "Days91To180", "Over180Days", "PastDue",
        "UnitsPerUsd", "RateEffectiveOn", "NotYetDueUsd", "Days0To30Usd", "Days31To90Usd", "Days91To180Usd", "Over180DaysUsd", "PastDueUsd",
        "CarryingUsd", "Note",
    ];

    public static byte[] Write(ReceivablesAgeingReport report) => CsvFile.Write(Header, report.Lines.Select(x => (string[])
    [
        x.Donor, x.Fund, x.Reference, x.Currency, Date(x.OldestDueOn), x.DaysPastDue?.ToString(CultureInfo.InvariantCulture) ?? "",
        .. Buckets(x.Amounts),
        CsvFile.Amount(x.UnitsPerUsd), Date(x.RateEffectiveOn),
        .. x.Usd is { } usd ? Buckets(usd) : ["", "", "", "", "", ""],
        CsvFile.Amount(x.CarryingUsd), x.NoRate ?? "",
    ]));

    static string[] Buckets(AgeingBuckets b) =>
        [CsvFile.Amount(b.NotYetDue), CsvFile.Amount(b.Days0To30), CsvFile.Amount(b.Days31To90), CsvFile.Amount(b.Days91To180), CsvFile.Amount(b.Over180Days), CsvFile.Amount(b.PastDue)];

    static string Date(LocalDate? date) => date?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
