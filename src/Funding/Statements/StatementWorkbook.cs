using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Funding.Ledger;
using NodaTime;

namespace Funding.Statements;

/// <summary>
/// Statements as an Excel workbook, one sheet per statement, written with the Open XML SDK: amounts are numbers in
/// their currency's format, dates are dates, and totals are formulas over the lines they add up, with the figure the
/// API gives kept as the formula's cached value.
/// </summary>
public sealed class StatementWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    readonly List<SheetContent> sheets = [];

    /// <summary>Adds a sheet: declare its columns first, then its rows, headings and totals, in the order they appear.</summary>
    public StatementWorkbook Sheet<T>(string name, Action<StatementSheet<T>> build)
    {
        if (sheets.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"The workbook already has a sheet named '{name}'.", nameof(name));
        var sheet = new StatementSheet<T>(name);
        build(sheet);
        sheets.Add(sheet.Content);
        return this;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            var strings = new SharedStrings(workbook.AddNewPart<SharedStringTablePart>());
            var styles = new Styles();
            var list = new Sheets();
            uint id = 1;
            foreach (var sheet in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = Worksheet(sheet, strings, styles);
                list.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = sheet.Name });
            }

            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = styles.Stylesheet();
            strings.Save();
            // The cached values already hold the API's figures; Excel still works every formula out again on opening.
            workbook.Workbook = new Workbook(list, new CalculationProperties { FullCalculationOnLoad = true });
        }

        return stream.ToArray();
    }

    static Worksheet Worksheet(SheetContent sheet, SharedStrings strings, Styles styles)
    {
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var c = 0; c < sheet.Columns.Count; c++)
            header.Append(Text(Reference(c, 1), sheet.Columns[c].Header, strings, styles.Of(null, bold: true)));
        data.Append(header);

        foreach (var row in sheet.Rows)
        {
            var line = new Row { RowIndex = (uint)row.Number };
            for (var c = 0; c < row.Cells.Count; c++)
            {
                if (row.Cells[c] is not { } cell) continue;
                var reference = Reference(c, row.Number);
                var style = styles.Of(cell.Format, row.Bold);
                line.Append(cell.Value switch
                {
                    TextValue x => Text(reference, x.Text, strings, style),
                    NumberValue x => new Cell { CellReference = reference, StyleIndex = style, CellValue = new CellValue(x.Number) },
                    BooleanValue x => new Cell { CellReference = reference, StyleIndex = style, DataType = CellValues.Boolean, CellValue = new CellValue(x.Value ? "1" : "0") },
                    FormulaValue x => new Cell { CellReference = reference, StyleIndex = style, CellFormula = new CellFormula(x.Formula), CellValue = new CellValue(x.Cached) },
                    _ => throw new InvalidOperationException($"No cell for {cell.Value.GetType().Name}."),
                });
            }

            data.Append(line);
        }

        var columns = new Columns(sheet.Columns.Select((x, i) => new Column
        {
            // Widths count characters of the default font's digits; letters and bold headers run wider.
            Min = (uint)i + 1, Max = (uint)i + 1, Width = Math.Min(Math.Ceiling(x.Width * 1.2) + 3, 80), CustomWidth = true,
        }));
        // The header row stays in view while the lines scroll.
        var views = new SheetViews(new SheetView(new Pane
        {
            VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
        }) { WorkbookViewId = 0 });
        return new Worksheet(views, columns, data);
    }

    static Cell Text(string reference, string text, SharedStrings strings, uint style) =>
        new() { CellReference = reference, StyleIndex = style, DataType = CellValues.SharedString, CellValue = new CellValue(strings.Index(text)) };

    internal static string Reference(int column, int row) => $"{ColumnName(column)}{row}";

    internal static string ColumnName(int column) =>
        column < 26 ? ((char)('A' + column)).ToString() : ColumnName(column / 26 - 1) + (char)('A' + column % 26);

    sealed class SharedStrings(SharedStringTablePart part)
    {
        readonly Dictionary<string, int> indexes = new(StringComparer.Ordinal);
        readonly SharedStringTable table = new();

        public int Index(string text)
        {
            if (indexes.TryGetValue(text, out var index)) return index;
            table.Append(new SharedStringItem(new DocumentFormat.OpenXml.Spreadsheet.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
            return indexes[text] = indexes.Count;
        }

        public void Save() => part.SharedStringTable = table;
    }

    /// <summary>One cell format per number format and weight, in the order first asked for; 0 is the plain one.</summary>
    sealed class Styles
    {
        const uint FirstCustomFormat = 164;
        readonly List<(string? Format, bool Bold)> formats = [(null, false)];

        public uint Of(string? format, bool bold)
        {
            var index = formats.IndexOf((format, bold));
            if (index >= 0) return (uint)index;
            formats.Add((format, bold));
            return (uint)formats.Count - 1;
        }

        public Stylesheet Stylesheet()
        {
            var codes = formats.Select(x => x.Format).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            uint FormatId(string? code) => code is null ? 0 : FirstCustomFormat + (uint)codes.IndexOf(code);
            static Font Font(bool bold) => bold
                ? new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })
                : new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" });
            return new Stylesheet(
                new NumberingFormats(codes.Select(x => new NumberingFormat { NumberFormatId = FormatId(x), FormatCode = x })) { Count = (uint)codes.Count },
                new Fonts(Font(false), Font(true)) { Count = 2 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                new CellFormats(formats.Select(x => new CellFormat
                {
                    NumberFormatId = FormatId(x.Format), FontId = x.Bold ? 1u : 0u, FillId = 0, BorderId = 0, FormatId = 0,
                    ApplyNumberFormat = x.Format is not null, ApplyFont = x.Bold,
                })) { Count = (uint)formats.Count },
                new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
        }
    }
}

/// <summary>
/// One statement's sheet: a header row of the columns, then lines, headings and total rows. A money column is in one
/// currency; its total rows hold SUM formulas, and a line can be worked out from others (<see cref="SheetRow"/>).
/// </summary>
public sealed class StatementSheet<T>
{
    public const string DateFormat = "yyyy-mm-dd";

    readonly List<SheetColumn<T>> columns = [];
    readonly List<SheetRowContent> rows = [];
    int blockStarts = 2;

    internal StatementSheet(string name)
    {
        // Excel refuses a sheet name over 31 characters or with any of : \ / ? * [ ].
        if (name.Length is 0 or > 31 || name.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) >= 0)
            throw new ArgumentException($"'{name}' cannot name an Excel sheet.", nameof(name));
        Name = name;
    }

    public string Name { get; }

    internal SheetContent Content => new(Name, columns.Select(x => new SheetColumnContent(x.Header, x.Widest)).ToList(), rows);

    int NextRow => rows.Count + 2;

    /// <summary>Text; an empty text leaves the cell empty.</summary>
    public StatementSheet<T> Text(string header, Func<T, string?> value) =>
        Column(header, x => value(x) is { Length: > 0 } text ? new SheetCell(new TextValue(text), null) : null, x => x.Length);

    /// <param name="format">An Excel number format: "0" for a year or a code, "0.0" for a percentage given as 85.6.</param>
    public StatementSheet<T> Number(string header, Func<T, decimal?> value, string format = "0") =>
        Column(header, x => value(x) is { } number ? new SheetCell(new NumberValue(number), format) : null,
            x => x.Length);

    /// <summary>Dates as date cells, shown as 2024-12-31.</summary>
    public StatementSheet<T> Date(string header, Func<T, LocalDate?> value) =>
        Column(header, x => value(x) is { } date ? new SheetCell(new NumberValue(Serial(date)), DateFormat) : null, _ => DateFormat.Length);

    /// <summary>TRUE or FALSE cells, which a spreadsheet filters on.</summary>
    public StatementSheet<T> Boolean(string header, Func<T, bool?> value) =>
        Column(header, x => value(x) is { } flag ? new SheetCell(new BooleanValue(flag), null) : null, x => x.Length);

    /// <summary>Amounts in one currency, shown as "1,234.56 USD".</summary>
    /// <param name="summed">Whether total rows add the column up: false for a balance at a date, which does not add up across lines.</param>
    public StatementSheet<T> Money(string header, Func<T, decimal?> value, string currency, bool summed = true)
    {
        var format = MoneyFormat(currency);
        return Column(header, x => value(x) is { } amount ? new SheetCell(new NumberValue(amount), format) : null,
            x => x.Length + 4 + currency.Length, money: true, summed, format); // the cents, a space, the code
    }

    /// <summary>"#,##0.00 "USD"": thousands separated, the currency's minor units, its ISO code after the amount.</summary>
    public static string MoneyFormat(string currency) =>
        Currency.All.TryGetValue(currency, out var known)
            ? $"#,##0{(known.MinorUnits == 0 ? "" : "." + new string('0', known.MinorUnits))} \"{known.Code}\""
            : throw new ArgumentException($"{currency} is not an ISO 4217 currency.", nameof(currency));

    public StatementSheet<T> Rows(IEnumerable<T> items)
    {
        foreach (var item in items) Row(item);
        return this;
    }

    public SheetRow Row(T item) => Add(item, null);

    /// <summary>A line whose money cells are worked out from earlier lines: the formula, with the line's own figure cached.</summary>
    public SheetRow Row(T item, SheetFormula formula) => Add(item, formula);

    /// <summary>A title line in bold; the rows after it, up to the next total, are the ones that total adds up.</summary>
    public StatementSheet<T> Heading(string title)
    {
        rows.Add(Labelled(title, []));
        blockStarts = NextRow;
        return this;
    }

    /// <summary>A bold row adding up every summed money column over the lines since the last heading or total.</summary>
    public StatementSheet<T> Total(string label)
    {
        var (first, last) = (blockStarts, NextRow - 1);
        var lines = rows.Where(x => x.Number >= first && x.Number <= last).ToList();
        var cells = columns.Select((column, c) => !column.Summed ? null
            : lines.Count == 0 ? new SheetCell(new NumberValue(0m), column.Format)
            : new SheetCell(new FormulaValue($"SUM({StatementWorkbook.Reference(c, first)}:{StatementWorkbook.Reference(c, last)})",
                lines.Sum(x => x.Cells[c]?.Value switch
                {
                    null => 0m,
                    NumberValue n => n.Number,
                    FormulaValue f => f.Cached,
                    var other => throw new InvalidOperationException($"A summed money column holds {other.GetType().Name}, which adds up to nothing."),
                })), column.Format)).ToList();
        rows.Add(Labelled(label, cells));
        blockStarts = NextRow;
        return this;
    }

    SheetRowContent Labelled(string label, IReadOnlyList<SheetCell?> cells)
    {
        RequireColumns();
        if (columns[0].Money) throw new InvalidOperationException("A heading or total is labelled in the first column, which is money here.");
        var row = new SheetCell?[columns.Count];
        for (var c = 0; c < cells.Count; c++) row[c] = cells[c];
        // The label runs on over the empty cells beside it, so only the figures widen their columns.
        foreach (var (column, cell) in columns.Zip(row)) column.Widen(cell);
        row[0] = new SheetCell(new TextValue(label), null);
        return new SheetRowContent(NextRow, row, Bold: true);
    }

    SheetRow Add(T item, SheetFormula? formula)
    {
        RequireColumns();
        var number = NextRow;
        var cells = columns.Select((column, c) =>
        {
            var cell = column.Cell(item);
            if (formula is null || !column.Money || cell is null) return cell;
            return cell with { Value = new FormulaValue(formula.Text(StatementWorkbook.ColumnName(c), number), ((NumberValue)cell.Value).Number) };
        }).ToList();
        foreach (var (column, cell) in columns.Zip(cells)) column.Widen(cell);
        rows.Add(new SheetRowContent(number, cells, Bold: false));
        return new SheetRow(number);
    }

    StatementSheet<T> Column(string header, Func<T, SheetCell?> cell, Func<string, int> width, bool money = false, bool summed = false, string? format = null)
    {
        if (rows.Count > 0) throw new InvalidOperationException("Declare every column before the first row.");
        columns.Add(new SheetColumn<T>(header, cell, width, money, money && summed, format));
        return this;
    }

    void RequireColumns()
    {
        if (columns.Count == 0) throw new InvalidOperationException("Declare the columns first.");
    }

    /// <summary>Excel's serial day: days since 1899-12-30 (right for every date from March 1900 on).</summary>
    static decimal Serial(LocalDate date) => Period.Between(new LocalDate(1899, 12, 30), date, PeriodUnits.Days).Days;
}

/// <summary>A line of a sheet, to work other lines out from: <c>contributions + interest - fees</c>.</summary>
public readonly record struct SheetRow(int Number)
{
    public static SheetFormula operator +(SheetRow a, SheetRow b) => new SheetFormula([(1, a.Number)]) + b;
    public static SheetFormula operator -(SheetRow a, SheetRow b) => new SheetFormula([(1, a.Number)]) - b;
}

/// <summary>Earlier lines added and taken away; written as SUM(B2:B4) when it adds a run of lines, else as B8-B9.</summary>
public sealed class SheetFormula(IReadOnlyList<(int Sign, int Row)> terms)
{
    readonly IReadOnlyList<(int Sign, int Row)> terms = terms;

    public static SheetFormula operator +(SheetFormula a, SheetRow b) => new([.. a.terms, (1, b.Number)]);
    public static SheetFormula operator -(SheetFormula a, SheetRow b) => new([.. a.terms, (-1, b.Number)]);

    internal string Text(string column, int row)
    {
        if (terms.Any(x => x.Row >= row)) throw new InvalidOperationException("A line is worked out from the lines above it.");
        var run = terms.Count > 1 && terms.All(x => x.Sign > 0) && terms.Select((x, i) => x.Row - i).Distinct().Count() == 1;
        return run
            ? $"SUM({column}{terms[0].Row}:{column}{terms[^1].Row})"
            : string.Concat(terms.Select((x, i) => $"{(x.Sign < 0 ? "-" : i == 0 ? "" : "+")}{column}{x.Row}"));
    }
}

/// <param name="Width">How many characters a shown value takes, for the column's width.</param>
sealed record SheetColumn<T>(string Header, Func<T, SheetCell?> Cell, Func<string, int> Width, bool Money, bool Summed, string? Format)
{
    public int Widest { get; private set; } = Header.Length;

    public void Widen(SheetCell? content)
    {
        var shown = content?.Value switch
        {
            TextValue x => x.Text,
            NumberValue x => x.Number.ToString("#,##0.###", CultureInfo.InvariantCulture),
            FormulaValue x => x.Cached.ToString("#,##0.###", CultureInfo.InvariantCulture),
            BooleanValue => "FALSE",
            null => null,
            var other => throw new InvalidOperationException($"No width for {other.GetType().Name}."),
        };
        if (shown is not null) Widest = Math.Max(Widest, Width(shown));
    }
}

abstract record CellContent;
sealed record TextValue(string Text) : CellContent;
sealed record NumberValue(decimal Number) : CellContent;
sealed record BooleanValue(bool Value) : CellContent;
sealed record FormulaValue(string Formula, decimal Cached) : CellContent;

sealed record SheetCell(CellContent Value, string? Format);
sealed record SheetRowContent(int Number, IReadOnlyList<SheetCell?> Cells, bool Bold);
sealed record SheetColumnContent(string Header, int Width);
sealed record SheetContent(string Name, IReadOnlyList<SheetColumnContent> Columns, IReadOnlyList<SheetRowContent> Rows);
