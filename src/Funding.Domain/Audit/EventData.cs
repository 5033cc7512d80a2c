using System.Text.Json;
using Funding.Audit.Chain;
using Funding.Shared;

namespace Funding.Audit;

/// <summary>One event as the audit tools read it, from the database or an export: its chain link and how to read its data.</summary>
public sealed record LogEntry(ChainLink Link, string DotnetType, string PreviousHash);

/// <summary>An event's stored data read as the ledger's own type.</summary>
public static class EventData
{
    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>The event's data as the ledger's own type; an unknown type or unreadable data is a verification failure.</summary>
    public static object Deserialize(string dotnetType, string data)
    {
        // Resolving the name takes longer than reading a deposit's JSON: once per type, not once per event.
        var type = Types.GetOrAdd(dotnetType, static name => Type.GetType(name)) ?? throw new JsonException($"unknown event type {dotnetType}");
        return JsonSerializer.Deserialize(data, type, Json) ?? throw new JsonException("the data is null");
    }
}
