using Marten;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;

namespace Funding.Statements;

/// <summary>
/// Keeps the package list ranked for today under the configured flag rules, so that the list asked for today, the
/// page a focal point opens, is read off an index however many packages there are (PackageStatusPage). The flags
/// that order the list change with the day (a phase comes within the horizon, a wait grows too long), so the ranking
/// is moved to each new day, once, on the primary: the list's trigger then ranks every row written for that day. A
/// list asked for another day or under other rules, or before the move, is sorted as it stands: the ranking only
/// makes the answer faster, never different.
/// </summary>
public static class PackageListRanking
{
    /// <summary>Ranks every row of the list for the day and rules, unless it already is; true when it ranked them.</summary>
    public static async Task<bool> RankAsync(IDocumentStore store, LocalDate day, FlagOptions rules, CancellationToken cancellation)
    {
        var schema = store.Options.DatabaseSchemaName;
        var documents = store.Options.Schema.For<PackageFundingStatus>();
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        // Alone: no write ranks a row meanwhile for the day being left (its trigger shares this lock). Writes that start
        // meanwhile queue behind this one, so it waits at most 5 s for those in flight (a long import holds its share to
        // the end), then gives up until the next try.
        await using (var turn = new NpgsqlCommand(
            $"set local lock_timeout = '5s'; select pg_advisory_xact_lock({PackageListSchema.RankingLockKey})", connection, transaction))
            await turn.ExecuteNonQueryAsync(cancellation);

        await using var ranked = new NpgsqlCommand(
            $"select day = @day and horizon_days = @horizon and awaiting_days = @awaiting from {schema}.{PackageListSchema.RankingTable} where id = 1",
            connection, transaction);
        Parameters(ranked, day, rules);
        if (await ranked.ExecuteScalarAsync(cancellation) is true) return false;

        await using var rank = new NpgsqlCommand($"""
            insert into {schema}.{PackageListSchema.RankingTable} (id, day, horizon_days, awaiting_days) values (1, @day, @horizon, @awaiting)
            on conflict (id) do update set day = excluded.day, horizon_days = excluded.horizon_days, awaiting_days = excluded.awaiting_days;
            update {schema}.{PackageListSchema.Table} l
            set ranked = {schema}.{PackageListSchema.RankFunction}(l.code, l.id, l.mandated, l.unfunded, l.late, l.uncovered, l.waiting_since,
              @day, @horizon, @awaiting);
            insert into {schema}.{PackageListSchema.Reports} (id, report)
            select doc.id, {schema}.{PackageListSchema.ReportFunction}(doc.data, @day, @horizon, @awaiting) from {documents} doc
            on conflict (id) do update set report = excluded.report;
            """, connection, transaction);
        Parameters(rank, day, rules);
        await rank.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return true;
    }

    static void Parameters(NpgsqlCommand command, LocalDate day, FlagOptions rules)
    {
        command.Parameters.AddWithValue("day", day.ToDateOnly());
        command.Parameters.AddWithValue("horizon", rules.AtRiskHorizonDays);
        command.Parameters.AddWithValue("awaiting", rules.AwaitingDecisionDays);
    }
}

/// <summary>
/// Moves the package list's ranking to each new day (UTC, the day the list is asked for by default) on the primary: at
/// start, then as the clock passes midnight, checked every minute. Every node does it; the second finds it done.
/// </summary>
public sealed class RankingThePackageList(IDocumentStore store, IClock clock, IOptions<FlagOptions> rules, ILogger<RankingThePackageList> logger)
    : BackgroundService
{
    static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LocalDate? rankedFor = null;
        do
        {
            var today = clock.GetCurrentInstant().InUtc().Date;
            if (today == rankedFor) continue;
            try
            {
                if (await PackageListRanking.RankAsync(store, today, rules.Value, stoppingToken))
                    logger.LogInformation("Ranked the package list for {Day}", today);
                rankedFor = today;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The list is still right, only sorted on every request: try again in a minute. Nothing here may stop the
                // service (an unhandled exception in a background service would).
                logger.LogWarning(e, "Could not rank the package list for {Day}", today);
            }
        } while (await Wait(stoppingToken));
    }

    static async Task<bool> Wait(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Every, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
