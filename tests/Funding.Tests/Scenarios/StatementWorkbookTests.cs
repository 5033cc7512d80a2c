using Funding.Statements;
using Funding.Tests.Infrastructure;
using NodaTime;

namespace Funding.Tests.Scenarios;

/// <summary>The sheet builder on its own, without a database: what a new report's sheet gets from it.</summary>
public class StatementWorkbookTests
{
    sealed record Line(string Name, LocalDate On, decimal Yen, decimal Dinars, bool Late);

    static XlsxSheet Single(StatementWorkbook book)
    {
        var workbook = XlsxWorkbook.Open(book.ToBytes());
        workbook.SchemaErrors.ShouldBeEmpty();
        return workbook.Sheets.ShouldHaveSingleItem();
    }

    [Fact]
    public void sections_total_their_own_lines_in_each_currency_and_an_empty_section_totals_zero()
    {
        var sheet = Single(new StatementWorkbook().Sheet<Line>("Ageing", s => s
            .Text("Name", x => x.Name).Date("On", x => x.On)
            .Money("Yen", x => x.Yen, "JPY").Money("Dinars", x => x.Dinars, "KWD", summed: false).Boolean("Late", x => x.Late)
            .Heading("Due")
            .Rows([new("a", new LocalDate(2024, 2, 29), 1_000m, 1.250m, false), new("b", new LocalDate(2025, 1, 1), 2_345m, 0.001m, true)])
            .Total("Total due")
            .Heading("Overdue")
            .Total("Total overdue")));

        sheet.Name.ShouldBe("Ageing");
        sheet.Texts(1).ShouldBe(["Name", "On", "Yen", "Dinars", "Late"]);
        sheet.Texts(2).ShouldBe(["Due"]);
        (sheet["B3"]!.Format, DateTime.FromOADate(sheet["B3"]!.Number!.Value)).ShouldBe(("yyyy-mm-dd", new DateTime(2024, 2, 29)));
        (sheet["C3"]!.Format, sheet["D3"]!.Format, sheet.Value("D4")).ShouldBe(("#,##0 \"JPY\"", "#,##0.000 \"KWD\"", 0.001m));
        (sheet["E3"]!.Boolean, sheet["E4"]!.Boolean).ShouldBe((false, true));

        (sheet["A5"]!.Text, sheet["A5"]!.Bold, sheet["C5"]!.Formula, sheet.Value("C5"), sheet["C5"]!.Number).ShouldBe(("Total due", true, "SUM(C3:C4)", 3_345m, 3_345d));
        sheet["D5"].ShouldBeNull(); // a balance column is left out of totals
        (sheet["A7"]!.Text, sheet["C7"]!.Formula, sheet.Value("C7")).ShouldBe(("Total overdue", null, 0m));
        sheet.LastRow.ShouldBe(7);
    }

    [Fact]
    public void a_line_worked_out_from_others_is_a_sum_of_a_run_or_cells_added_and_taken_away()
    {
        var sheet = Single(new StatementWorkbook().Sheet<(string Line, decimal Usd)>("Lines", s =>
        {
            s.Text("Line", x => x.Line).Money("Usd", x => x.Usd, "USD");
            var a = s.Row(("a", 10.10m));
            var b = s.Row(("b", 20.20m));
            var c = s.Row(("c", 30.30m));
            s.Row(("a to c", 60.60m), a + b + c);
            s.Row(("a and c", 40.40m), a + c);
            s.Row(("c less a and b", 0m), c - a - b);
        }));

        (sheet["B5"]!.Formula, sheet["B6"]!.Formula, sheet["B7"]!.Formula).ShouldBe(("SUM(B2:B4)", "B2+B4", "B4-B2-B3"));
        (sheet.Value("B5"), sheet.Value("B6"), sheet.Value("B7")).ShouldBe((60.60m, 40.40m, 0m));
        // The cached figure is the one the caller gave: what the API says the line is.
        sheet["B7"]!.Number.ShouldBe(0d);
    }

    [Fact]
    public void columns_run_on_past_z()
    {
        var sheet = Single(new StatementWorkbook().Sheet<int>("Wide", s =>
        {
            foreach (var i in Enumerable.Range(0, 28)) s.Money($"C{i}", x => x + i, "USD");
            s.Rows([1, 2]);
        }));

        (sheet["AB1"]!.Text, sheet.Value("AB2"), sheet.Value("AB3")).ShouldBe(("C27", 28m, 29m));
    }

    [Fact]
    public void what_excel_would_refuse_is_refused_when_the_sheet_is_built()
    {
        Should.Throw<ArgumentException>(() => new StatementWorkbook().Sheet<int>("Ageing: 30 days?", _ => { }));
        Should.Throw<ArgumentException>(() => new StatementWorkbook().Sheet<int>(new string('x', 32), _ => { }));
        Should.Throw<ArgumentException>(() => new StatementWorkbook().Sheet<int>("Period", _ => { }).Sheet<int>("period", _ => { }));
        Should.Throw<ArgumentException>(() => new StatementWorkbook().Sheet<int>("Money", s => s.Money("Amount", x => x, "XYZ")));
        Should.Throw<InvalidOperationException>(() => new StatementWorkbook().Sheet<int>("Late", s => s.Text("A", x => "a").Rows([1]).Text("B", x => "b")));
        Should.Throw<InvalidOperationException>(() => new StatementWorkbook().Sheet<int>("Label", s => s.Money("A", x => x, "USD").Rows([1]).Total("Total")));
    }
}
