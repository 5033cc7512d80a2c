using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Funding.Hosting;

/// <summary>
/// Request dates as ISO yyyy-MM-dd within the years a UN ledger can mean (from the Charter's entry into force to
/// 2100). A date outside them is a typing error, refused with the field's path, never stored. The exceptions carry
/// no message of their own so that the serializer names the field ("Path: $.valueDate").
/// </summary>
public sealed class BusinessDateConverter : JsonConverter<LocalDate>
{
    public static readonly LocalDate Earliest = new(1945, 10, 24);
    public static readonly LocalDate Latest = new(2100, 12, 31);

    public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        var parsed = LocalDatePattern.Iso.Parse(text ?? "");
        if (!parsed.Success || parsed.Value < Earliest || parsed.Value > Latest) throw new JsonException();
        return parsed.Value;
    }

    public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
}
