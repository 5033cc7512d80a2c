namespace Funding.Shared;

/// <summary>
/// What text the ledger takes from outside, wherever it arrives (a JSON string, a query value, a route value, a CSV
/// cell, a header): valid Unicode, no NUL or other control character (tab and newline only in free text such as a
/// reason), and a length limit. PostgreSQL refuses a NUL in text, so one that got that far failed the request late.
/// </summary>
public static class TextRules
{
    /// <summary>Any one JSON string, unless its field sets another; each command's Validate has tighter limits.</summary>
    public const int MaxLength = 1_000;

    /// <summary>Free text (a reason, a justification), which may run over several lines.</summary>
    public const int MaxMultiLineLength = 4_000;

    /// <summary>A query or route value: codes, names, dates, ids.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>Why the text is refused, or null when it is fine.</summary>
    public static string? Problem(string text, int maxLength, bool multiLine = false)
    {
        if (text.Length > maxLength) return $"Keep it to {maxLength} characters (this has {text.Length}).";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            // A lone surrogate cannot be encoded; U+FFFD is what a decoder leaves where the bytes were not UTF-8.
            if (char.IsSurrogate(c) || c == '\uFFFD') return "This is not valid UTF-8 text.";
            if (c == '\0') return "A NUL character (U+0000) is not allowed.";
            if (char.IsControl(c) && !(multiLine && c is '\t' or '\n' or '\r'))
            {
                return multiLine
                    ? $"The control character U+{(int)c:X4} is not allowed (tab and newline are)."
                    : $"The control character U+{(int)c:X4} is not allowed: this field takes one line of text.";
            }
        }

        return null;
    }
}
