using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Funding.Audit.Chain;

/// <summary>
/// A JSON value as PostgreSQL renders it once stored as jsonb (<c>data::text</c>): keys sorted by their UTF-8 length
/// and then their bytes, a repeated key keeping its last value, ", " and ": " between items, strings with only
/// PostgreSQL's escapes, numbers as numeric prints them (1.50 stays 1.50, 1.5e1 is 15). The service hashes this text
/// before it writes an event, so the link it writes is the one a verifier computes from what the database holds.
/// </summary>
public static class JsonbText
{
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Of(document.RootElement);
    }

    public static string Of(JsonElement element)
    {
        var text = new StringBuilder();
        Write(text, element);
        return text.ToString();
    }

    static void Write(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject()) members[member.Name] = member.Value;
                text.Append('{');
                var first = true;
                foreach (var (name, value) in members.OrderBy(x => x.Key, KeyOrder.Instance))
                {
                    if (!first) text.Append(", ");
                    first = false;
                    WriteString(text, name);
                    text.Append(": ");
                    Write(text, value);
                }

                text.Append('}');
                return;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!firstItem) text.Append(", ");
                    firstItem = false;
                    Write(text, item);
                }

                text.Append(']');
                return;
            case JsonValueKind.String:
                WriteString(text, element.GetString()!);
                return;
            case JsonValueKind.Number:
                text.Append(Numeric(element.GetRawText()));
                return;
            case JsonValueKind.True:
                text.Append("true");
                return;
            case JsonValueKind.False:
                text.Append("false");
                return;
            case JsonValueKind.Null:
                text.Append("null");
                return;
            case JsonValueKind.Undefined:
                throw new ArgumentException("An undefined JSON value has no jsonb text.", nameof(element));
            default:
                throw new ArgumentOutOfRangeException(nameof(element), element.ValueKind, "Not a JSON value kind.");
        }
    }

    /// <summary>PostgreSQL's escape_json: the two-character escapes, \u00XX for the other control characters, nothing else.</summary>
    static void WriteString(StringBuilder text, string value)
    {
        if (value.Contains('\0')) throw new ArgumentException("jsonb cannot hold the character U+0000.", nameof(value));
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }

    /// <summary>
    /// A JSON number as numeric_out prints it: the exact value, with as many decimals as the literal had after its
    /// point less its exponent (never fewer than none), and no sign on zero.
    /// </summary>
    public static string Numeric(string literal)
    {
        var negative = literal.StartsWith('-');
        var body = negative ? literal[1..] : literal;
        var e = body.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? 0 : int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? body : body[..e];
        var point = mantissa.IndexOf('.');
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var digits = (point < 0 ? mantissa : mantissa[..point] + fraction).TrimStart('0');

        // value = digits × 10^(exponent - fraction.Length); shown with `scale` decimals.
        var scale = Math.Max(0, fraction.Length - exponent);
        var shift = exponent - fraction.Length + scale; // ≥ 0: zeros appended so the digits carry `scale` decimals
        var unscaled = digits.Length == 0 ? "0" : digits + new string('0', shift);
        if (unscaled.Length <= scale) unscaled = new string('0', scale - unscaled.Length + 1) + unscaled;
        var whole = unscaled[..^scale].TrimStart('0');
        var result = (whole.Length == 0 ? "0" : whole) + (scale > 0 ? "." + unscaled[^scale..] : "");
        return negative && unscaled.Any(x => x != '0') ? "-" + result : result;
    }

    /// <summary>jsonb's key order: shorter keys first (in UTF-8 bytes), then byte by byte.</summary>
    sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Encoding.UTF8.GetBytes(x!);
            var b = Encoding.UTF8.GetBytes(y!);
            return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.AsSpan().SequenceCompareTo(b);
        }
    }
}
