using System.Text;

namespace Funding.Tests.Statements;

/// <summary>CSV cells that a spreadsheet would run as formulas are escaped; amounts, negative ones too, stay numbers.</summary>
public class CsvFileTests
{
    static string Written(params string[] cells) =>
        Encoding.UTF8.GetString(CsvFile.Write(cells.Select((_, i) => $"C{i}").ToArray(), [cells])).Split('\n')[1].TrimEnd('\r');

    [Fact]
    public void a_negative_amount_is_a_number_and_formula_like_text_is_escaped()
    {
        Written("-343249.75", "-642000", "1750.25", "2500.00", "0").ShouldBe("-343249.75,-642000,1750.25,2500.00,0");
        Written("-2+3", "=SUM(A1:A2)", "@cmd", "+1", "-", "-1e5", "-007", "-0.1.2").ShouldBe("\"'-2+3\",\"'=SUM(A1:A2)\",\"'@cmd\",\"'+1\",\"'-\",\"'-1e5\",\"'-007\",\"'-0.1.2\"");
        // More digits than a decimal holds: written as the text it is, never rounded.
        Written("-1234567890123456789012345678.123456789").ShouldBe("\"'-1234567890123456789012345678.123456789\"");
    }
}
