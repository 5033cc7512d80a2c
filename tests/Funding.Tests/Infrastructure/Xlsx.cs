using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;

namespace Funding.Tests.Infrastructure;

public enum XlsxKind { Text, Number, Boolean }

/// <summary>One cell as a spreadsheet holds it: its kind, its value (a number is a double, as in Excel), its formula and number format.</summary>
public sealed record XlsxCell(string Reference, XlsxKind Kind, string? Text, double? Number, bool? Boolean, string? Formula, string? Format, bool Bold);

/// <summary>A downloaded .xlsx opened with the Open XML SDK, as a spreadsheet would read it; formulas worked out here.</summary>
public sealed partial class XlsxWorkbook
{
    public required IReadOnlyList<XlsxSheet> Sheets { get; init; }

    /// <summary>What the SDK's schema validator finds wrong with the file (Excel refuses a file that breaks the schema).</summary>
    public required IReadOnlyList<string> SchemaErrors { get; init; }

    public static XlsxWorkbook Open(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var part = document.WorkbookPart!;
        var strings = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(x => x.InnerText).ToList() ?? [];
        var stylesheet = part.WorkbookStylesPart!.Stylesheet;
        var formats = stylesheet.NumberingFormats?.Elements<NumberingFormat>().ToDictionary(x => x.NumberFormatId!.Value, x => x.FormatCode!.Value!) ?? [];
        var xfs = stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        var bolds = stylesheet.Fonts!.Elements<Font>().Select(x => x.Elements<Bold>().Any()).ToList();

        var sheets = part.Workbook.Sheets!.Elements<Sheet>().Select(sheet =>
        {
            var worksheet = ((WorksheetPart)part.GetPartById(sheet.Id!)).Worksheet;
            var cells = worksheet.Descendants<Cell>().Select(cell =>
            {
                var xf = xfs[(int)(cell.StyleIndex?.Value ?? 0)];
                var format = xf.NumberFormatId?.Value is { } id && formats.TryGetValue(id, out var code) ? code : null;
                var value = cell.CellValue?.Text;
                var type = cell.DataType?.Value;
                var kind = type == CellValues.SharedString || type == CellValues.InlineString || type == CellValues.String ? XlsxKind.Text
                    : type == CellValues.Boolean ? XlsxKind.Boolean : XlsxKind.Number;
                return new XlsxCell(
                    cell.CellReference!.Value!, kind,
                    type == CellValues.SharedString ? strings[int.Parse(value!, CultureInfo.InvariantCulture)] : type == CellValues.InlineString ? cell.InlineString!.InnerText : kind == XlsxKind.Text ? value : null,
                    kind == XlsxKind.Number && value is not null ? double.Parse(value, CultureInfo.InvariantCulture) : null,
                    kind == XlsxKind.Boolean ? value == "1" : null,
                    cell.CellFormula?.Text, format, bolds[(int)(xf.FontId?.Value ?? 0)]);
            }).ToDictionary(x => x.Reference);
            return new XlsxSheet(sheet.Name!.Value!, cells);
        }).ToList();

        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document).Select(x => $"{x.Path?.XPath}: {x.Description}").ToList();
        return new XlsxWorkbook { Sheets = sheets, SchemaErrors = errors };
    }
}

public sealed partial class XlsxSheet(string name, IReadOnlyDictionary<string, XlsxCell> cells)
{
    public string Name => name;
    public IReadOnlyDictionary<string, XlsxCell> Cells => cells;

    public int LastRow => cells.Keys.Select(x => Parse(x).Row).DefaultIfEmpty(0).Max();

    public XlsxCell? this[string reference] => cells.GetValueOrDefault(reference);

    /// <summary>The texts of a row, from column A on, up to its last cell (null where a cell is empty or not text).</summary>
    public IReadOnlyList<string?> Texts(int row)
    {
        var inRow = cells.Values.Where(x => Parse(x.Reference).Row == row).ToList();
        var last = inRow.Select(x => Parse(x.Reference).Column).DefaultIfEmpty(-1).Max();
        return Enumerable.Range(0, last + 1).Select(c => inRow.SingleOrDefault(x => Parse(x.Reference).Column == c)?.Text).ToList();
    }

    /// <summary>
    /// What Excel shows in a number cell, as a decimal: a number read back at Excel's 15 significant digits; a formula
    /// worked out from the cells it names in doubles, as Excel works, and rounded to the decimals its format shows
    /// (adding and taking away doubles can leave a trace such as 3.6E-15 where the figure is 0.00).
    /// </summary>
    public decimal Value(string reference)
    {
        var value = (decimal)Evaluate(reference);
        return cells.GetValueOrDefault(reference) is { Formula: not null, Format: { } format } && Decimals().Match(format) is { Success: true } decimals
            ? Math.Round(value, decimals.Groups[1].Length, MidpointRounding.AwayFromZero)
            : value;
    }

    double Evaluate(string reference)
    {
        var cell = cells.GetValueOrDefault(reference);
        if (cell is null) return 0d;
        if (cell.Formula is null) return cell.Number ?? throw new InvalidOperationException($"{name}!{reference} is not a number.");

        var formula = cell.Formula;
        var total = 0d;
        var position = 0;
        foreach (Match term in Term().Matches(formula))
        {
            if (term.Index != position) throw new InvalidOperationException($"{name}!{reference}: cannot read '{formula}'.");
            position += term.Length;
            var sign = term.Groups["sign"].Value == "-" ? -1d : 1d;
            total += sign * (term.Groups["from"].Success ? Range(term.Groups["from"].Value, term.Groups["to"].Value).Sum(Evaluate) : Evaluate(term.Groups["cell"].Value));
        }

        if (position != formula.Length || position == 0) throw new InvalidOperationException($"{name}!{reference}: cannot read '{formula}'.");
        return total;
    }

    static IEnumerable<string> Range(string from, string to)
    {
        var (a, b) = (Parse(from), Parse(to));
        for (var row = a.Row; row <= b.Row; row++)
        for (var column = a.Column; column <= b.Column; column++)
            yield return $"{ColumnName(column)}{row}";
    }

    public static (int Column, int Row) Parse(string reference)
    {
        var match = CellReference().Match(reference);
        var column = match.Groups[1].Value.Aggregate(0, (n, c) => n * 26 + (c - 'A' + 1)) - 1;
        return (column, int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    static string ColumnName(int column) => column < 26 ? ((char)('A' + column)).ToString() : ColumnName(column / 26 - 1) + (char)('A' + column % 26);

    // The formulas the statements write: a SUM over a range, and cells added or taken away.
    [GeneratedRegex(@"(?<sign>^|[+-])(?:SUM\((?<from>[A-Z]+[0-9]+):(?<to>[A-Z]+[0-9]+)\)|(?<cell>[A-Z]+[0-9]+))")]
    private static partial Regex Term();

    [GeneratedRegex(@"^#,##0(?:\.(0+))?")]
    private static partial Regex Decimals();

    [GeneratedRegex("^([A-Z]+)([0-9]+)$")]
    private static partial Regex CellReference();
}
