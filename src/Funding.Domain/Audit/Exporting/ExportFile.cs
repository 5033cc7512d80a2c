using System.Text.Json;
using Funding.Audit.Chain;
using NodaTime;

namespace Funding.Audit.Exporting;

/// <summary>The export's last line: how many events, the digest over their hashes, and the chain heads at the time.</summary>
public sealed record ExportTrailer(
    long Events, string Digest, long? FirstSequence, long? LastSequence, LocalDate? RecordedFrom, LocalDate? RecordedTo,
    DateTimeOffset ExportedAt, IReadOnlyList<ChainHead>? Heads);

/// <summary>
/// The export file: the event log as JSON Lines, one event per line in sequence order, with every field its hash covers
/// (data and metadata verbatim as PostgreSQL rendered them), the previous hash in its stream and its own hash; then one
/// trailer line. A whole-log export also carries the chain heads, so a verifier can tell a cut-off tail.
/// </summary>
public static class ExportFile
{
    static readonly JsonWriterOptions Compact = new() { Indented = false };

    public static void WriteEvent(Stream output, LogEntry entry) => WriteLine(output, writer => WriteEvent(writer, entry));

    public static void WriteTrailer(Stream output, ExportTrailer trailer) => WriteLine(output, writer => WriteTrailer(writer, trailer));

    static void WriteEvent(Utf8JsonWriter w, LogEntry entry)
    {
        var e = entry.Link;
        w.WriteStartObject();
        w.WriteNumber("sequence", e.Sequence);
        w.WriteString("streamId", e.StreamId);
        w.WriteNumber("version", e.Version);
        w.WriteString("type", e.Type);
        w.WriteString("dotnetType", entry.DotnetType);
        w.WriteString("businessDate", e.BusinessDate);
        w.WriteString("recordedAt", e.RecordedAt);
        w.WriteString("user", e.User);
        w.WriteString("correlationId", e.CorrelationId);
        w.WriteString("causationId", e.CausationId);
        w.WritePropertyName("metadata");
        w.WriteRawValue(e.Metadata);
        w.WritePropertyName("data");
        w.WriteRawValue(e.Data);
        w.WriteString("previousHash", entry.PreviousHash);
        w.WriteString("hash", e.Hash);
        w.WriteEndObject();
    }

    static void WriteTrailer(Utf8JsonWriter w, ExportTrailer t)
    {
        w.WriteStartObject();
        w.WriteNumber("events", t.Events);
        w.WriteString("digest", t.Digest);
        if (t.FirstSequence is { } first) w.WriteNumber("firstSequence", first);
        if (t.LastSequence is { } last) w.WriteNumber("lastSequence", last);
        if (t.RecordedFrom is { } from) w.WriteString("recordedFrom", from.ToString("uuuu-MM-dd", null));
        if (t.RecordedTo is { } to) w.WriteString("recordedTo", to.ToString("uuuu-MM-dd", null));
        w.WriteString("exportedAt", t.ExportedAt);
        if (t.Heads is { } heads)
        {
            w.WriteStartArray("heads");
            foreach (var head in heads)
            {
                w.WriteStartObject();
                w.WriteString("streamId", head.StreamId);
                w.WriteNumber("version", head.Version);
                w.WriteNumber("sequence", head.Sequence);
                w.WriteString("hash", head.Hash);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    static void WriteLine(Stream output, Action<Utf8JsonWriter> write)
    {
        using (var writer = new Utf8JsonWriter(output, Compact)) write(writer);
        output.WriteByte((byte)'\n');
    }

    /// <summary>Reads an export back: each event line as its log entry, then the trailer (null if the file was cut short).</summary>
    public static async IAsyncEnumerable<(LogEntry? Entry, ExportTrailer? Trailer, int Line, string? Error)> ReadAsync(TextReader input)
    {
        var number = 0;
        while (await input.ReadLineAsync() is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            (LogEntry? Entry, ExportTrailer? Trailer, string? Error) parsed;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                parsed = root.TryGetProperty("digest", out _) ? (null, Trailer(root), null) : (Entry(root), null, null);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                parsed = (null, null, $"line {number} is not an event or trailer: {e.Message}");
            }

            yield return (parsed.Entry, parsed.Trailer, number, parsed.Error);
        }
    }

    static LogEntry Entry(JsonElement e) => new(
        new ChainLink(
            e.GetProperty("sequence").GetInt64(), e.GetProperty("streamId").GetGuid(), e.GetProperty("version").GetInt64(),
            Text(e, "type"), e.GetProperty("data").GetRawText(), Text(e, "businessDate"), Text(e, "recordedAt"), Text(e, "user"),
            Text(e, "correlationId"), Text(e, "causationId"), e.GetProperty("metadata").GetRawText(), Text(e, "hash")),
        Text(e, "dotnetType"), Text(e, "previousHash"));

    static ExportTrailer Trailer(JsonElement t)
    {
        LocalDate? Date(string name) => t.TryGetProperty(name, out var v)
            ? NodaTime.Text.LocalDatePattern.Iso.Parse(v.GetString()!).GetValueOrThrow()
            : null;
        long? Number(string name) => t.TryGetProperty(name, out var v) ? v.GetInt64() : null;
        var heads = t.TryGetProperty("heads", out var list)
            ? list.EnumerateArray().Select(h => new ChainHead(h.GetProperty("streamId").GetGuid(), h.GetProperty("version").GetInt64(),
                h.GetProperty("sequence").GetInt64(), Text(h, "hash"))).ToList()
            : null;
        return new ExportTrailer(t.GetProperty("events").GetInt64(), Text(t, "digest"), Number("firstSequence"), Number("lastSequence"),
            Date("recordedFrom"), Date("recordedTo"), t.GetProperty("exportedAt").GetDateTimeOffset(), heads);
    }

    static string Text(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";
}
