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
