using System.Text.Json;
using Funding.Audit.Chain;
using Funding.Audit.Exporting;
using Funding.Audit.Replay;
using Funding.Ledger;
using NodaTime.Text;

namespace Funding.Audit.Verifying;

/// <summary>What an export proves on its own: the chain, the digest, and the read models folded from its events.</summary>
public sealed record OfflineReport(
    long Events, ExportTrailer? Trailer, IReadOnlyList<ChainProblem> ChainProblems, IReadOnlyList<string> FileProblems,
    int StreamsStartingMidChain, LedgerReplay Replay)
{
    public bool WholeLog => Trailer is { RecordedFrom: null, RecordedTo: null };
    public bool Passed => ChainProblems.Count == 0 && FileProblems.Count == 0;
}

/// <summary>
/// Verifies an audit export without the database: every hash recomputed, each stream's chain followed, the digest
/// checked, each event's stated business date checked against its data, and every fund's and package's figures
/// folded from the events alone.
/// </summary>
public static class OfflineVerification
{
    public static async Task<OfflineReport> RunAsync(TextReader export)
    {
        var chain = new ChainVerifier();
        var problems = new List<string>();
        var hashes = new List<string>();
        var replay = new LedgerReplay();
        ExportTrailer? trailer = null;

        await foreach (var (entry, readTrailer, line, error) in ExportFile.ReadAsync(export))
        {
            if (error is not null)
            {
                problems.Add(error);
                continue;
            }

            if (trailer is not null)
            {
                problems.Add($"line {line} comes after the trailer");
                continue;
            }

            if (readTrailer is not null)
            {
                trailer = readTrailer;
                continue;
            }

            var link = entry!.Link;
            chain.Check(link, entry.PreviousHash);
            hashes.Add(link.Hash);
            try
            {
                var data = EventData.Deserialize(entry.DotnetType, link.Data);
                var businessDate = BusinessDates.Of(data);
                if (businessDate.ToString("uuuu-MM-dd", null) != link.BusinessDate)
                    problems.Add($"sequence {link.Sequence}: the business date {link.BusinessDate} is not the event's date {businessDate}");
                replay.Apply(new LoggedEvent(link.Sequence, link.StreamId, link.Version, data, businessDate,
                    InstantPattern.ExtendedIso.Parse(link.RecordedAt).GetValueOrThrow()));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or UnparsableValueException)
            {
                problems.Add($"sequence {link.Sequence}: the data cannot be read as {entry.DotnetType}: {e.Message}");
            }
        }

        if (trailer is null)
        {
            problems.Add("the export has no trailer: it was cut short");
        }
        else
        {
            if (trailer.Events != hashes.Count) problems.Add($"the trailer counts {trailer.Events} events but the export holds {hashes.Count}");
            if (trailer.Digest != EventChain.DigestOf(hashes)) problems.Add("the digest over the events' hashes is not the one in the trailer");
            if (trailer.Heads is { } heads) chain.CheckHeads(heads);
        }

        return new OfflineReport(hashes.Count, trailer, chain.Problems, problems, chain.StreamsStartingMidChain, replay);
    }
}
