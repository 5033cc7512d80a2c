namespace Funding.Shared;

/// <summary>Collects every problem with a command, keyed by the JSON field name, before anything is written.</summary>
public sealed class ValidationErrors
{
    readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public bool Contains(string field) => errors.ContainsKey(field);

    public ValidationErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages)) errors[field] = messages = [];
        messages.Add(message);
        return this;
    }

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(x => x.Key, x => x.Value.ToArray());
}

/// <summary>The reason a command must give, as the event keeps it for the auditors.</summary>
public static class Reasons
{
    public const int MaxLength = 500;

    public static void Check(ValidationErrors errors, string? reason, string example, string field = "reason")
    {
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(field, $"Say why (e.g. {example}).");
        else if (reason.Length > MaxLength) errors.Add(field, $"Keep the reason to {MaxLength} characters.");
    }
}
