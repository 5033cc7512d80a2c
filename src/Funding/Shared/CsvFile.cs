using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsvHelper;

namespace Funding.Shared;

/// <summary>CSV for a spreadsheet: a header row of stable names, then text cells; amounts with a point for decimals.</summary>
public static partial class CsvFile
{
    public static byte[] Write(string[] header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Spreadsheets run a cell that starts with = + - @ as a formula: such text is escaped, never executed.
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape }, false))
        {
            csv.WriteRecord(header);
            foreach (var row in rows)
            {
                foreach (var cell in row)
                {
                    // A plain number is no formula: a negative amount stays a number the spreadsheet can add up, not escaped text.
                    if (Number(cell) is { } number) csv.WriteField(number, default);
                    else csv.WriteField(cell);
                }

                csv.EndRecord();
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string Amount(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>The cell as a number when it is one exactly as written (no sign but a leading minus, no exponent, nothing lost).</summary>
    static decimal? Number(string? cell) =>
        cell is not null && PlainNumber().IsMatch(cell)
        && decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
        && number.ToString(CultureInfo.InvariantCulture) == cell
            ? number
            : null;

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();
}
