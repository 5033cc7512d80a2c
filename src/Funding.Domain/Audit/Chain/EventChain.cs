using System.Security.Cryptography;
using System.Text;

namespace Funding.Audit.Chain;

/// <summary>
/// One event as the hash chain sees it: every immutable field, as text exactly as PostgreSQL renders it (the data
/// and metadata as canonical jsonb text, the recorded time in UTC to the microsecond), and the hash kept with it.
/// </summary>
public sealed record ChainLink(
    long Sequence, Guid StreamId, long Version, string Type, string Data, string BusinessDate, string RecordedAt,
    string User, string CorrelationId, string CausationId, string Metadata, string Hash);

/// <summary>The last event of a stream as the chain recorded it when it was appended.</summary>
public sealed record ChainHead(Guid StreamId, long Version, long Sequence, string Hash);

/// <summary>Something about the log that does not verify; <see cref="Sequence"/> is the first sequence number it makes suspect.</summary>
public sealed record ChainProblem(long Sequence, Guid StreamId, long Version, string Field, string Description)
{
    public override string ToString() => $"sequence {Sequence}, stream {StreamId}, version {Version}, {Field}: {Description}";
}

/// <summary>
/// The tamper-evident chain over the event log. Chained per stream: each event's hash is SHA-256 over the previous
/// hash of its stream and its own immutable fields. Appends to one stream are already serialised by its version,
/// so per-stream chaining adds no lock; a global chain would make every write in the ledger wait for the one
/// before it. What a per-stream chain cannot see by itself (a stream's tail cut off) the chain heads table shows,
/// and an export's final digest pins the whole log for an auditor who keeps it.
/// The service computes each link as it writes the event, and the database checks only that it continues its stream;
/// verifying computes every link again, independently.
/// </summary>
public static class EventChain
{
    public static string HashOf(string previousHash, ChainLink e)
    {
        var input = string.Join('\n',
            previousHash, e.Sequence, e.StreamId.ToString("D"), e.Version, e.Type, e.Data, e.BusinessDate, e.RecordedAt,
            e.User, e.CorrelationId, e.CausationId, e.Metadata);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)));
    }

    /// <summary>SHA-256 over every hash of an export, in order: an auditor who keeps it can prove the log since.</summary>
    public static string DigestOf(IEnumerable<string> hashes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var hash in hashes) sha.AppendData(Encoding.UTF8.GetBytes(hash + "\n"));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>
/// Checks links one at a time, each stream's in version order (the whole log, or an export). Memory grows with
/// the number of streams, not events.
/// </summary>
public sealed class ChainVerifier
{
    readonly Dictionary<Guid, (long Version, long Sequence, string Hash)> _last = new();
    readonly List<ChainProblem> _problems = [];

    public long Checked { get; private set; }
    public long HighestSequence { get; private set; }
    /// <summary>Streams whose first link came with only a claimed previous hash (an export of a date range).</summary>
    public int StreamsStartingMidChain { get; private set; }
    public IReadOnlyList<ChainProblem> Problems => _problems.OrderBy(x => x.Sequence).ThenBy(x => x.Field, StringComparer.Ordinal).ToList();

    /// <param name="claimedPrevious">The previous hash an export states; only trusted for a stream's first link in a partial export.</param>
    public void Check(ChainLink link, string? claimedPrevious = null)
    {
        Checked++;
        HighestSequence = Math.Max(HighestSequence, link.Sequence);
        string previous;
        if (_last.TryGetValue(link.StreamId, out var last))
        {
            previous = last.Hash;
            if (link.Version != last.Version + 1)
            {
                Add(link, "version", link.Version <= last.Version
                    ? $"comes after version {last.Version} of its stream: events are out of order"
                    : $"follows version {last.Version}: {Range(last.Version + 1, link.Version - 1)} missing");
            }

            if (claimedPrevious is not null && claimedPrevious != last.Hash)
                Add(link, "previousHash", "does not match the hash of the stream's previous event");
        }
        else if (link.Version == 1)
        {
            previous = "";
        }
        else if (claimedPrevious is not null)
        {
            previous = claimedPrevious;
            StreamsStartingMidChain++;
        }
        else
        {
            previous = "";
            Add(link, "version", $"is the stream's first event: {Range(1, link.Version - 1)} missing");
        }

        if (EventChain.HashOf(previous, link) != link.Hash)
            Add(link, "hash", "does not match the event's contents, position or the chain before it: the event was changed, moved, or one before it removed");
        _last[link.StreamId] = (link.Version, link.Sequence, link.Hash);
    }

    /// <summary>After every link: each stream must end where its chain head says it did.</summary>
    public void CheckHeads(IEnumerable<ChainHead> heads)
    {
        var headed = new HashSet<Guid>();
        foreach (var head in heads)
        {
            headed.Add(head.StreamId);
            var found = _last.TryGetValue(head.StreamId, out var last);
            if (found && last.Version == head.Version && last.Sequence == head.Sequence && last.Hash == head.Hash) continue;
            if (found && last.Version > head.Version) continue; // appended after the heads were read

            // Events past the end of the whole log mean its tail was cut off: the first missing sequence is the next one.
            var firstBad = head.Sequence > HighestSequence ? HighestSequence + 1 : head.Sequence;
            _problems.Add(new ChainProblem(firstBad, head.StreamId, head.Version, "head",
                !found ? $"the stream's events are missing: its chain ends at version {head.Version} (sequence {head.Sequence})"
                : last.Version < head.Version ? $"the stream ends at version {last.Version} (sequence {last.Sequence}) but its chain ends at version {head.Version} (sequence {head.Sequence}): the tail was removed"
                : "the last event's hash is not the one recorded when it was appended"));
        }

        foreach (var (stream, last) in _last.Where(x => !headed.Contains(x.Key)))
        {
            _problems.Add(new ChainProblem(last.Sequence, stream, last.Version, "head", "no chain head was recorded for this stream"));
        }
    }

    void Add(ChainLink link, string field, string description) =>
        _problems.Add(new ChainProblem(link.Sequence, link.StreamId, link.Version, field, description));

    static string Range(long from, long to) => from == to ? $"version {from} is" : $"versions {from} to {to} are";
}
