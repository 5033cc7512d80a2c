using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Funding.Audit.Chain;
using Funding.Tests.Infrastructure;
using Npgsql;

namespace Funding.Tests.Audit;

/// <summary>
/// The service hashes an event's JSON as PostgreSQL will render it once stored: any difference would make every
/// link the service writes fail verification. So the rendering is checked against PostgreSQL itself.
/// </summary>
public class JsonbTextTests
{
    static readonly Lazy<string> Database = new(() => TestCluster.CreateDatabase("jsonb_text"));

    [Theory]
    [InlineData("""{"b": 1, "a": 2, "aa": 3, "é": 4, "z": 5}""")]
    [InlineData("""{"a": 1, "a": 2}""")]
    [InlineData("""[1.50, 1.5e1, 1e-2, -0, -0.00, 0.001e5, 1E+20, 12.345e1, -7.10E-3, 100]""")]
    [InlineData("""{"s": "quote \" backslash \\ slash \/ tab \t nl \n bell \u0007 del \u007f é \u00e9 € 😀 <&>'+"}""")]
    [InlineData("""{"nested": {"list": [{}, [], null, true, false, ""]}, "": "empty key"}""")]
    public async Task renders_what_postgresql_renders(string json) =>
        (await PostgresText([json])).ShouldHaveSingleItem().ShouldBe(JsonbText.Of(json));

    [Fact]
    public async Task renders_random_documents_as_postgresql_does()
    {
        var documents = Gen.Sample(Value(3), 400, new Rnd(20261205UL), 20).ToList();
        var expected = await PostgresText(documents);
        documents.Select(JsonbText.Of).ToList().ShouldBe(expected);
    }

    [Fact]
    public void refuses_what_jsonb_cannot_hold() =>
        Should.Throw<ArgumentException>(() => JsonbText.Of("""{"a": "\u0000"}"""));

    static async Task<List<string>> PostgresText(IReadOnlyList<string> documents)
    {
        await using var connection = new NpgsqlConnection(Database.Value);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select d::jsonb::text from unnest(@documents) with ordinality as x(d, n) order by n", connection);
        command.Parameters.AddWithValue("documents", documents.ToArray());
        var rendered = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rendered.Add(reader.GetString(0));
        return rendered;
    }

    // JSON text as writers produce it: any spacing, keys repeated and in any order, escapes where a writer may use them.
    static Gen<string> Value(int depth) => depth == 0
        ? Scalar()
        : Gen.OneOf(Scalar(), Array(depth), Object(depth));

    static Gen<string> Scalar() => Gen.OneOf(
        Gen.Elements("true", "false", "null"),
        Number(),
        Text().Select(Quoted));

    static Gen<string> Number() =>
        from negative in Gen.Elements("", "-")
        from whole in Gen.Elements("0", "1", "7", "42", "1000", "123456789012345678901234567890")
        from fraction in Gen.Elements("", ".0", ".5", ".50", ".125", ".000001", ".9990")
        from exponent in Gen.Elements("", "e0", "e1", "E+2", "e-1", "e-7", "E12")
        select negative + whole + fraction + exponent;

    static Gen<string> Text() =>
        Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Elements('a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '€', '<', '&', '\''), n))
            .Select(x => new string(x));

    static string Quoted(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' => "\\/",
                '\n' => "\\n",
                '\t' => "\\t",
                < ' ' or '<' or 'é' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    static Gen<string> Array(int depth) =>
        from count in Gen.Choose(0, 4)
        from items in Gen.ArrayOf(Value(depth - 1), count)
        from space in Gen.Elements("", " ", "\n  ")
        select "[" + space + string.Join("," + space, items) + "]";

    static Gen<string> Object(int depth) =>
        from count in Gen.Choose(0, 5)
        from members in Gen.ArrayOf(
            from key in Gen.OneOf(Gen.Elements("id", "amount", "a", "b", "ab", "ba", "é", "zz", "currency", ""), Text())
            from value in Value(depth - 1)
            select Quoted(key) + ":" + value, count)
        from space in Gen.Elements("", " ", "\t")
        select "{" + space + string.Join("," + space, members) + "}";
}
