using System.Globalization;
using CsvHelper;
using Funding.Hosting.Input;
using NodaTime;
using NodaTime.Text;

namespace Funding.Shared;

/// <summary>
/// A CSV file as finance officers send it: a header row of snake_case column names, then one record per row. Every
/// problem is kept with its line and column (keyed "line N: column", or "csv" for the file as a whole), and nothing
/// is guessed: a number with a thousands separator or a decimal comma is refused, never read as something else.
/// </summary>
public static class CsvInput
{
    public const string FileField = "csv";

    static CsvReaderOptions Options => new() { HasHeader = true, TrimWhitespace = true, TrackLineNumbers = true };

    /// <summary>The key under which a row's problem with a column is reported.</summary>
    public static string Key(int line, string column) => $"line {line}: {column}";

    /// <summary>
    /// Reads the rows one at a time as the text is read (a file of any length takes the memory of one row), checking
    /// the header first: the required columns must all be there, and no column may be unknown (a misspelt optional
    /// column would otherwise be dropped without a word). Problems of the file as a whole (the header, no rows) go to
    /// <paramref name="errors"/>, and then no row is returned.
    /// </summary>
    public static IEnumerable<CsvRow> Rows(
        TextReader text, IReadOnlyList<string> required, IReadOnlyList<string> optional, ValidationErrors errors)
    {
        // A byte order mark (or several, as some spreadsheets save them) is not part of the first column's name.
        while (text.Peek() == '\uFEFF') text.Read();
        using var reader = CsvReader.Create(text, Options, leaveOpen: true);
        reader.ReadHeader();
        var expected = string.Join(",", required.Concat(optional.Select(x => $"[{x}]")));
        if (reader.Headers.Count == 0 || reader.Headers.All(string.IsNullOrEmpty))
        {
            errors.Add(FileField, $"The file is empty: expected a header row {expected}.");
            yield break;
        }

        var headers = reader.Headers.ToList();
        foreach (var header in headers.Where(x => TextRules.Problem(x, TextRules.MaxQueryLength) is not null))
            errors.Add(FileField, "A column name in the header is not valid text (control characters or not UTF-8).");
        foreach (var column in required.Where(x => !headers.Contains(x)))
            errors.Add(FileField, $"The header has no {column} column (expected {expected}).");
        foreach (var column in headers.Where(x => !required.Contains(x) && !optional.Contains(x)))
            errors.Add(FileField, $"The header has an unknown column '{column}' (expected {expected}).");
        foreach (var column in headers.GroupBy(x => x).Where(x => x.Count() > 1))
            errors.Add(FileField, $"The header names {column.Key} more than once.");
        if (!errors.IsEmpty) yield break;

        var rows = 0;
        while (reader.Read())
        {
            var cells = new Dictionary<string, string>(headers.Count, StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(headers.Count, reader.FieldCount); i++)
            {
                var cell = reader.GetString(i);
                // A cell is text like any other input: no NUL or control characters, valid UTF-8, a length limit.
                if (TextRules.Problem(cell, TextRules.MaxLength) is { } problem) errors.Add(Key((int)reader.LineNumber, headers[i]), problem);
                else cells[headers[i]] = cell;
            }

            rows++;
            yield return new CsvRow((int)reader.LineNumber, cells, reader.FieldCount - headers.Count);
        }

        if (rows == 0 && errors.IsEmpty) errors.Add(FileField, "The file has a header but no rows.");
    }
}

/// <summary>One record of a CSV file: its first line in the file, its cells by column name, and how many fields it has beyond the header's.</summary>
public sealed record CsvRow(int Line, IReadOnlyDictionary<string, string> Cells, int ExtraFields)
{
    /// <summary>An unquoted "1,000.00" shifts every later cell: such a row is refused rather than read askew.</summary>
    public void CheckShape(ValidationErrors errors)
    {
        if (ExtraFields != 0)
            errors.Add(CsvInput.Key(Line, "row"), $"The row has {Cells.Count + Math.Max(ExtraFields, 0)} fields; the header has {Cells.Count + Math.Max(-ExtraFields, 0)}. Quote a value that contains a comma.");
    }

    /// <summary>The cell's text, or null when the column is absent or the cell empty.</summary>
    public string? Text(string column) => Cells.TryGetValue(column, out var value) && value.Length > 0 ? value : null;

    /// <summary>A date as yyyy-MM-dd; an empty cell is null (the command's own check says whether it is required).</summary>
    public LocalDate? Date(string column, ValidationErrors errors)
    {
        if (Text(column) is not { } text) return null;
        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success) errors.Add(CsvInput.Key(Line, column), $"'{text}' is not a date (yyyy-MM-dd).");
        return parsed.Success ? parsed.Value : null;
    }

    /// <summary>
    /// A number with a point for decimals and nothing else: no thousands separators, no exponent, no currency sign.
    /// It is read exactly; whether it has too many decimals for its currency is the money's own check.
    /// </summary>
    public decimal? Number(string column, ValidationErrors errors, string example, bool allowSign = false)
    {
        if (Text(column) is not { } text) return null;
        var styles = allowSign ? NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign : NumberStyles.AllowDecimalPoint;
        if (decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(CsvInput.Key(Line, column), $"'{text}' is not a number like {example} (a point for decimals, no thousands separators).");
        return null;
    }
}
