namespace Funding.Hosting.Replica;

/// <summary>
/// How long the standby has gone without what it has yet to replay, from the primary's positions as the monitor saw
/// them: the time since the primary last stood at or before the standby's replay position. At most one poll late,
/// never early. The age of the last transaction replayed (<c>pg_last_xact_replay_timestamp()</c>) would read as the
/// whole idle spell when the first write after one reaches the standby a moment later.
/// </summary>
public sealed class ReplicaLag
{
    /// <summary>Positions the primary was seen at, oldest first, each with the last time it was seen there.</summary>
    readonly LinkedList<(ulong At, DateTimeOffset LastSeen)> primary = new();
    readonly Lock gate = new();

    /// <param name="primaryAt">Where the primary's WAL stands now.</param>
    /// <param name="replayed">Where the standby's replay stands now.</param>
    /// <param name="replayAge">The age of the standby's last replayed transaction: the answer before the monitor has seen the primary at the replayed position.</param>
    public double SecondsBehind(ulong primaryAt, ulong replayed, DateTimeOffset now, double replayAge)
    {
        lock (gate)
        {
            // A position behind the last one seen is a new primary (a restore or a failover): nothing seen before holds.
            if (primary.Last is { } last && primaryAt < last.Value.At) primary.Clear();
            if (primary.Last is { } same && same.Value.At == primaryAt) same.Value = (primaryAt, now);
            else primary.AddLast((primaryAt, now));

            if (replayed >= primaryAt)
            {
                while (primary.Count > 1) primary.RemoveFirst();
                return 0;
            }

            // Keep the newest position the standby has reached, and those it has not.
            while (primary.First?.Next is { } next && next.Value.At <= replayed) primary.RemoveFirst();
            return primary.First!.Value.At <= replayed ? Math.Max(0, (now - primary.First.Value.LastSeen).TotalSeconds) : replayAge;
        }
    }
}
