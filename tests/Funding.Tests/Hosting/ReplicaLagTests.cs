using Funding.Hosting.Replica;

namespace Funding.Tests.Hosting;

/// <summary>The standby's lag in seconds, from the positions the monitor reads once a second.</summary>
public class ReplicaLagTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    const double ReplayAgeUnused = -1;

    [Fact]
    public void the_first_write_after_an_idle_hour_is_a_second_behind_not_an_hour()
    {
        var lag = new ReplicaLag();
        var seen = new List<double>();
        for (var second = 0; second <= 3600; second++)
            seen.Add(lag.SecondsBehind(primaryAt: 1_000, replayed: 1_000, Start.AddSeconds(second), replayAge: second));

        // The write lands between two readings; the standby has not replayed it at the next one, and has at the one after.
        var behind = lag.SecondsBehind(primaryAt: 1_200, replayed: 1_000, Start.AddSeconds(3601), replayAge: 3600);
        var caughtUp = lag.SecondsBehind(primaryAt: 1_200, replayed: 1_200, Start.AddSeconds(3602), replayAge: 1);

        (seen.Distinct().Single(), behind, caughtUp).ShouldBe((0d, 1d, 0d));
    }

    [Fact]
    public void a_standby_that_stops_replaying_falls_behind_by_the_time_since_the_primary_stood_where_it_stopped()
    {
        var lag = new ReplicaLag();
        lag.SecondsBehind(100, 100, Start, ReplayAgeUnused);

        var readings = Enumerable.Range(1, 5).Select(second => lag.SecondsBehind(100 + (ulong)second * 10, 100, Start.AddSeconds(second), ReplayAgeUnused)).ToList();
        // It resumes part of the way: behind by what the primary wrote after it stood at 130 (seen at second 3).
        var partWay = lag.SecondsBehind(160, 130, Start.AddSeconds(6), ReplayAgeUnused);

        (string.Join(" ", readings), partWay).ShouldBe(("1 2 3 4 5", 3d));
    }

    [Fact]
    public void before_the_primary_was_seen_where_the_standby_stands_the_replay_age_is_the_answer_and_a_new_primary_starts_over()
    {
        var lag = new ReplicaLag();

        var atStart = lag.SecondsBehind(500, 300, Start, replayAge: 42);
        var caughtUp = lag.SecondsBehind(500, 500, Start.AddSeconds(1), replayAge: 0);
        // A restored primary stands behind where the old one stood: what was seen of the old one is dropped.
        var restored = lag.SecondsBehind(200, 100, Start.AddSeconds(2), replayAge: 7);

        (atStart, caughtUp, restored).ShouldBe((42d, 0d, 7d));
    }
}
