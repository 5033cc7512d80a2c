using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Funding.Audit.Chain;
using Funding.Contributions;
using Funding.Funds;
using Funding.Hosting;
using Funding.Ledger;
using Funding.Packages;
using Funding.Rates;
using Funding.Packages.TimeToFunding;
using Funding.Statements;
using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;

namespace Funding.Audit.Verifying;

/// <summary>A read model or balance that is not what the event log says it should be.</summary>
public sealed record Difference(string ReadModel, Guid StreamId, long? Version, string Field, string Live, string FromEvents)
{
    public override string ToString() =>
        $"{ReadModel} of stream {StreamId} (version {Version?.ToString() ?? "-"}), {Field}: live {Live}, from the events {FromEvents}";
}

public sealed record VerificationReport(
    long Events, int Streams, IReadOnlyList<ChainProblem> Chain, int ReadModelsCompared, IReadOnlyList<Difference> ReadModels,
    int FundsBalanced, IReadOnlyList<Difference> TrialBalances, IReadOnlyList<string> Failures, IReadOnlyList<string> NotCompared,
    int PeriodsChecked = 0, IReadOnlyList<Difference>? ClosedPeriods = null)
{
    public bool Passed => Chain.Count == 0 && ReadModels.Count == 0 && TrialBalances.Count == 0 && Failures.Count == 0 && (ClosedPeriods ?? []).Count == 0;
}

/// <summary>
/// `audit verify`: trusts nothing the service computed. It checks the hash chain over the raw event table,
/// recomputes every fund's trial balance from the posting rules, and rebuilds every projection from the raw log in
/// a scratch schema (Marten's own rebuild, the same code the service runs) to compare with the live read models,
/// field by field. The scratch schema is dropped afterwards.
/// </summary>
public static class LedgerVerification
{
    public static async Task<VerificationReport> RunAsync(IDocumentStore live, string connectionString, CancellationToken cancellation)
    {
        var schema = live.Options.Events.DatabaseSchemaName;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);

        LogScan scan;
        await using (var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation))
        {
            scan = await ScanLogAsync(connection, schema, cancellation);
        }

        var versions = await StreamVersions(connection, schema, cancellation);
        var trialBalances = await CompareTrialBalances(live, scan.Postings, versions, cancellation);
        var (compared, readModels, notCompared) = await RebuildAndCompare(live, connection, connectionString, schema, versions, cancellation);
        var (periodsChecked, closedPeriods) = await CompareClosedPeriods(live, cancellation);
        return new VerificationReport(scan.Chain.Checked, scan.Streams, scan.Chain.Problems, compared, readModels,
            scan.Postings.Count(x => x.Value.Values.Sum() == 0m), trialBalances, scan.Failures, notCompared, periodsChecked, closedPeriods);
    }

    /// <summary>
    /// Every month closed now: each fund's statement and trial balance as at its end, as known today, folded again from
    /// the log, must equal what the close kept. Nothing dated in a closed month may have changed them.
    /// </summary>
    static async Task<(int Checked, IReadOnlyList<Difference> Differences)> CompareClosedPeriods(IDocumentStore live, CancellationToken cancellation)
    {
        await using var session = live.QuerySession();
        var periods = await session.LoadAsync<Periods.AccountingPeriods>(Periods.AccountingPeriods.StreamId, cancellation);
        var differences = new List<Difference>();
        var months = periods?.Closes.Select(x => x.MonthEnd).Distinct().Where(periods.IsClosed).Order().ToList() ?? [];
        foreach (var monthEnd in months)
        {
            var close = periods!.CloseOf(monthEnd)!;
            foreach (var fund in close.Funds)
            {
                var replay = await Audit.Replay.HistoricalStatements.ForFundFromEveryEvent(session, fund.FundId, new Audit.Replay.ReportCut(monthEnd, null), cancellation);
                var statement = replay.FundStatements.GetValueOrDefault(fund.FundId) is { } s ? FundStatementReport.From(s) : null;
                var balance = TrialBalanceReport.From(fund.FundId, replay.TrialBalances.GetValueOrDefault(fund.FundId));
                var field = $"{monthEnd:yyyy-MM} at close";
                if (statement != fund.Statement)
                    differences.Add(new Difference("FundStatement", fund.FundId, null, field, $"{fund.Statement}", $"{statement}"));
                if (!balance.Lines.SequenceEqual(fund.TrialBalance.Lines))
                    differences.Add(new Difference("TrialBalance", fund.FundId, null, field,
                        string.Join("; ", fund.TrialBalance.Lines), string.Join("; ", balance.Lines)));
            }
        }

        return (months.Count, differences);
    }

    /// <summary>What one pass over the raw log finds: the chain checked and every fund's postings summed.</summary>
    public sealed record LogScan(ChainVerifier Chain, int Streams, Dictionary<Guid, SortedDictionary<Account, decimal>> Postings, IReadOnlyList<string> Failures);

    /// <summary>One pass over the raw event table (on the caller's connection and transaction) and the chain heads.</summary>
    public static async Task<LogScan> ScanLogAsync(NpgsqlConnection connection, string schema, CancellationToken cancellation)
    {
        var chain = new ChainVerifier();
        var postings = new Dictionary<Guid, SortedDictionary<Account, decimal>>();
        var failures = new List<string>();
        var streams = new HashSet<Guid>();
        await foreach (var entry in EventLog.ByStream(connection, schema, cancellation))
        {
            chain.Check(entry.Link);
            streams.Add(entry.Link.StreamId);
            try
            {
                if (EventData.Deserialize(entry.DotnetType, entry.Link.Data) is IFundEvent e) Post(postings, e);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                failures.Add($"sequence {entry.Link.Sequence}: the data cannot be read as {entry.DotnetType}: {ex.Message}");
            }
        }

        chain.CheckHeads(await EventLog.Heads(connection, schema, cancellation));
        return new LogScan(chain, streams.Count, postings, failures);
    }

    static void Post(Dictionary<Guid, SortedDictionary<Account, decimal>> books, IFundEvent e)
    {
        if (!books.TryGetValue(e.FundId, out var balances)) books[e.FundId] = balances = new SortedDictionary<Account, decimal>();
        foreach (var line in Postings.For(e)) balances[line.Account] = balances.GetValueOrDefault(line.Account) + line.Amount;
    }

    static async Task<IReadOnlyList<Difference>> CompareTrialBalances(
        IDocumentStore live, Dictionary<Guid, SortedDictionary<Account, decimal>> postings, Dictionary<Guid, long> versions, CancellationToken cancellation)
    {
        await using var session = live.QuerySession();
        var stored = (await session.Query<TrialBalance>().ToListAsync(cancellation)).ToDictionary(x => x.Id);
        var differences = new List<Difference>();
        foreach (var fundId in postings.Keys.Union(stored.Keys).Order())
        {
            var expected = postings.GetValueOrDefault(fundId) ?? [];
            var actual = stored.GetValueOrDefault(fundId)?.Balances ?? [];
            var version = versions.TryGetValue(fundId, out var v) ? v : (long?)null;
            if (expected.Values.Sum() != 0m)
                differences.Add(new Difference("Postings", fundId, version, "total", "-", $"debits and credits differ by {expected.Values.Sum()}"));
            foreach (var account in expected.Keys.Union(actual.Keys).Order())
            {
                var want = expected.GetValueOrDefault(account);
                var have = actual.GetValueOrDefault(account);
                if (want != have) differences.Add(new Difference("TrialBalance", fundId, version, $"balances.{account}", $"{have}", $"{want}"));
            }
        }

        return differences;
    }

    static async Task<(int Compared, IReadOnlyList<Difference> Differences, IReadOnlyList<string> NotCompared)> RebuildAndCompare(
        IDocumentStore live, NpgsqlConnection connection, string connectionString, string schema, Dictionary<Guid, long> versions,
        CancellationToken cancellation)
    {
        var scratch = $"audit_verify_{Guid.NewGuid():N}"[..24];
        try
        {
            var options = LedgerStore.Options(
                connectionString, scratch, TimeProvider.System, AutoCreate.CreateOrUpdate, ProjectionLifecycle.Inline, hashChained: false);
            LedgerLog.Attach(options);
            using var rebuilt = new DocumentStore(options);
            await rebuilt.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await Copy(connection, schema, scratch, "mt_streams", cancellation);
            await Copy(connection, schema, scratch, "mt_events", cancellation);
            await using (var sequence = new NpgsqlCommand(
                $"select setval('{scratch}.mt_events_sequence', greatest(1, (select coalesce(max(seq_id), 0) from {scratch}.mt_events)))", connection))
            {
                await sequence.ExecuteNonQueryAsync(cancellation);
            }

            using (var daemon = await rebuilt.BuildProjectionDaemonAsync())
            {
                foreach (var projection in LedgerProjections.All)
                    await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(30), cancellation);
            }

            var differences = new List<Difference>();
            var compared = 0;
            var notCompared = new List<string>();
            foreach (var projection in LedgerProjections.All)
            {
                // The daemon's read models are compared once the daemon has caught up with the log; until then they
                // are behind, not wrong.
                if (!projection.Money && await AsyncProjectionBehind(live, projection.Name, cancellation) is { } behind) notCompared.Add(behind);
                else compared += await Compare(connection, live, schema, scratch, projection.Document, versions, differences, cancellation);
            }

            return (compared, differences, notCompared);
        }
        finally
        {
            await using var drop = new NpgsqlCommand($"drop schema if exists {scratch} cascade", connection);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Null once the projection daemon (on whichever node runs it) has applied every event; otherwise why the
    /// projection was not compared. It is given a few seconds to catch up with writes made just before.
    /// </summary>
    static async Task<string?> AsyncProjectionBehind(IDocumentStore live, string projection, CancellationToken cancellation)
    {
        try
        {
            await live.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(10));
            return null;
        }
        catch (TimeoutException)
        {
            var head = (await live.Advanced.FetchEventStoreStatistics(token: cancellation)).EventSequenceNumber;
            var progress = (await live.Advanced.AllProjectionProgress(token: cancellation))
                .Where(x => x.ShardName.StartsWith(projection, StringComparison.Ordinal)).Select(x => x.Sequence).DefaultIfEmpty(0).Min();
            return $"{projection}: the projection daemon is at sequence {progress:N0} of {head:N0}; start the service (it runs the daemon) and verify again";
        }
    }

    /// <summary>Copies a Marten table's rows as stored, columns matched by name.</summary>
    static async Task Copy(NpgsqlConnection connection, string from, string to, string table, CancellationToken cancellation)
    {
        await using var columns = new NpgsqlCommand("""
            select string_agg(quote_ident(column_name), ', ' order by ordinal_position) from information_schema.columns
             where table_schema = @schema and table_name = @table
            """, connection);
        columns.Parameters.AddWithValue("schema", to);
        columns.Parameters.AddWithValue("table", table);
        var list = (string)(await columns.ExecuteScalarAsync(cancellation))!;
        await using var copy = new NpgsqlCommand($"insert into {to}.{table} ({list}) select {list} from {from}.{table}", connection) { CommandTimeout = 0 };
        await copy.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// Every document of a read model, live against rebuilt, as a reader sees it: read into its type and written back,
    /// so that a tampered field shows with the totals a reader computes from it.
    /// </summary>
    static async Task<int> Compare(
        NpgsqlConnection connection, IDocumentStore live, string schema, string scratch, Type document, Dictionary<Guid, long> versions,
        List<Difference> differences, CancellationToken cancellation)
    {
        var table = live.Options.Schema.For(document, qualified: false);
        var serializer = live.Options.Serializer();
        async Task<Dictionary<Guid, JsonNode?>> Load(string from)
        {
            await using var command = new NpgsqlCommand($"select id, data::text from {from}.{table}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            var documents = new Dictionary<Guid, JsonNode?>();
            while (await reader.ReadAsync(cancellation))
            {
                using var stored = new MemoryStream(Encoding.UTF8.GetBytes(reader.GetString(1)));
                documents[reader.GetGuid(0)] = JsonNode.Parse(serializer.ToJson(serializer.FromJson(document, stored)));
            }

            return documents;
        }

        var have = await Load(schema);
        var want = await Load(scratch);
        foreach (var id in have.Keys.Union(want.Keys).Order())
        {
            long? version = versions.TryGetValue(id, out var v) ? v : null;
            var name = document.Name;
            if (!want.ContainsKey(id)) differences.Add(new Difference(name, id, version, "(document)", "present", "absent"));
            else if (!have.ContainsKey(id)) differences.Add(new Difference(name, id, version, "(document)", "absent", "present"));
            else Diff(name, id, version, "", have[id], want[id], differences);
        }

        return have.Count;
    }

    /// <summary>Field-by-field comparison of two JSON documents; names each differing field by its path.</summary>
    static void Diff(string name, Guid id, long? version, string path, JsonNode? have, JsonNode? want, List<Difference> differences)
    {
        switch (have, want)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(x => x.Key).Union(b.Select(x => x.Key)).Order(StringComparer.Ordinal))
                    Diff(name, id, version, path.Length == 0 ? key : $"{path}.{key}", a[key], b[key], differences);
                break;
            case (JsonArray a, JsonArray b) when a.Count == b.Count:
                for (var i = 0; i < a.Count; i++) Diff(name, id, version, $"{path}[{i}]", a[i], b[i], differences);
                break;
            // 12.50 and 12.5 are the same money.
            case (JsonValue a, JsonValue b) when a.TryGetValue(out decimal x) && b.TryGetValue(out decimal y):
                if (x != y) differences.Add(new Difference(name, id, version, path, a.ToJsonString(), b.ToJsonString()));
                break;
            default:
                if (!JsonNode.DeepEquals(have, want))
                    differences.Add(new Difference(name, id, version, path, have?.ToJsonString() ?? "null", want?.ToJsonString() ?? "null"));
                break;
        }
    }

    static async Task<Dictionary<Guid, long>> StreamVersions(NpgsqlConnection connection, string schema, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select id, version from {schema}.mt_streams", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var versions = new Dictionary<Guid, long>();
        while (await reader.ReadAsync(cancellation)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }
}
