using System.Globalization;
using System.Text;
using CsvHelper;

namespace Funding.Shared;

/// <summary>CSV for a spreadsheet: a header row of stable names, then text cells; amounts with a point for decimals.</summary>
public static class CsvFile
{
    public static byte[] Write(string[] header, IEnumerable<string[]> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Spreadsheets run a cell that starts with = + - @ as a formula: such text is escaped, never executed.
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape }, false))
        {
            csv.WriteRecord(header);
            foreach (var row in rows) csv.WriteRecord(row);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string Amount(decimal? amount) => amount?.ToString(CultureInfo.InvariantCulture) ?? "";
}
