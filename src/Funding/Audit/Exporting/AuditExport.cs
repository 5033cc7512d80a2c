using Funding.Audit.Chain;
using Npgsql;
using NodaTime;

namespace Funding.Audit.Exporting;

/// <summary>Writes the export file (<see cref="ExportFile"/>) from the database, in one snapshot of the log.</summary>
public static class AuditExport
{
    public static async Task<ExportTrailer> WriteAsync(
        NpgsqlConnection connection, string schema, Stream output, LocalDate? recordedFrom, LocalDate? recordedTo, TimeProvider time,
        CancellationToken cancellation)
    {
        var from = recordedFrom?.AtStartOfDayInZone(DateTimeZone.Utc).ToDateTimeOffset();
        var before = recordedTo?.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToDateTimeOffset();
        var whole = recordedFrom is null && recordedTo is null;
        // One snapshot for the events and the heads, however long the export takes and whatever is appended meanwhile.
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        var heads = whole ? await EventLog.Heads(connection, schema, cancellation) : null;

        var hashes = new List<string>();
        long? first = null, last = null;
        await foreach (var entry in EventLog.BySequence(connection, schema, from, before, cancellation))
        {
            ExportFile.WriteEvent(output, entry);
            hashes.Add(entry.Link.Hash);
            first ??= entry.Link.Sequence;
            last = entry.Link.Sequence;
        }

        var trailer = new ExportTrailer(hashes.Count, EventChain.DigestOf(hashes), first, last, recordedFrom, recordedTo, time.GetUtcNow(),
            heads?.OrderBy(h => h.Sequence).ToList());
        ExportFile.WriteTrailer(output, trailer);
        await output.FlushAsync(cancellation);
        return trailer;
    }
}
