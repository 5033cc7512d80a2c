using System.Text.Json;
using System.Text.Json.Serialization;

namespace Funding.Shared;

/// <summary>
/// Every string in a request body passes <see cref="TextRules"/> as it is read: one line, at most
/// <see cref="TextRules.MaxLength"/> characters. The message names what is wrong; the serializer adds the field's path.
/// </summary>
public class SingleLineTextConverter : JsonConverter<string>
{
    protected virtual int MaxLength => TextRules.MaxLength;
    protected virtual bool MultiLine => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("Expected text in quotes.");
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") has no UTF-8 form.
            throw new JsonException("This is not valid UTF-8 text.");
        }

        return TextRules.Problem(text, MaxLength, MultiLine) is { } problem ? throw new JsonException(problem) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>Free text that may run over several lines (tab and newline allowed), e.g. the reason for a correction.</summary>
public sealed class MultiLineTextConverter : SingleLineTextConverter
{
    protected override int MaxLength => TextRules.MaxMultiLineLength;
    protected override bool MultiLine => true;
}

/// <summary>Marks a command's free-text field (on a positional record: <c>[property: MultiLineText]</c>): several lines of at most <see cref="TextRules.MaxMultiLineLength"/> characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MultiLineTextAttribute() : JsonConverterAttribute(typeof(MultiLineTextConverter));
