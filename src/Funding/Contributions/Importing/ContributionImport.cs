using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Funding.Access;
using Funding.Contributions.Pledging;
using Funding.Contributions.Receiving;
using Funding.Contributions.Signing;
using Funding.Funds;
using Funding.Hosting;
using Funding.Ledger;
using Funding.Packages;
using Funding.Rates;
using Funding.Rates.Publishing;
using Funding.Shared;
using Marten;
using NodaTime;
using Npgsql;

namespace Funding.Contributions.Importing;

/// <summary>Who runs an import, for the events' metadata, as an HTTP write would stamp them.</summary>
public sealed record ImportActor(string User, string CorrelationId, string Causation, string? Roles = null);

/// <summary>How to run it. A rates file also needs the revision's reference and kind.</summary>
public sealed record ImportOptions(bool DryRun, string? RatesReference = null, RevisionKind RatesKind = RevisionKind.Monthly);

public enum ImportStage
{
    Reading,
    Deciding,
    Writing,
}

/// <summary>Rows done of a stage so far; the last call of a stage has done == total.</summary>
public delegate void ImportProgress(ImportStage stage, int done, int total);

public enum ImportOutcome
{
    /// <summary>Every row was recorded, in one transaction.</summary>
    Imported,

    /// <summary>Dry run: every row would be recorded; nothing was written.</summary>
    Checked,

    /// <summary>Some rows are bad (a cell, a missing column, an unknown code): they are listed, and nothing was written.</summary>
    Refused,

    /// <summary>Every row is well formed, but the ledger's rules refuse some: they are listed, and nothing was written.</summary>
    Rejected,

    /// <summary>The same file (same bytes, same kind) was imported before; nothing was written.</summary>
    AlreadyImported,

    /// <summary>Someone else wrote to a stream of the file while it was being decided; nothing was written.</summary>
    Conflict,
}

/// <summary>The money of one currency in a file, and its USD equivalent as recorded.</summary>
public sealed record CurrencyTotal(string Currency, decimal Amount, decimal UsdEquivalent);

/// <summary>What a file records (or would record). For rates, Totals list the currencies quoted, with no amounts.</summary>
public sealed record ImportSummary(
    string Kind, string Digest, int Rows, int Events, IReadOnlyList<CurrencyTotal> Totals, decimal TotalUsd, decimal FeesUsd,
    string User, DateTimeOffset At);

/// <summary>The answer of a run. Errors are keyed "line N: column" (or "csv" for the file as a whole), in file order.</summary>
public sealed record ImportResult(
    ImportOutcome Outcome, string Message, ImportSummary? Summary, IReadOnlyDictionary<string, string[]> Errors, TimeSpan Elapsed)
{
    public bool Succeeded => Outcome is ImportOutcome.Imported or ImportOutcome.Checked or ImportOutcome.AlreadyImported;

    /// <summary>How a CLI prints a problem: "line 7, column amount: ...".</summary>
    public IEnumerable<string> ErrorLines() => Errors.SelectMany(x => x.Value.Select(message =>
        x.Key.StartsWith("line ", StringComparison.Ordinal) && x.Key.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon
            ? $"{x.Key[..colon]}, column {x.Key[(colon + 2)..]}: {message}"
            : $"{x.Key}: {message}"));
}

/// <summary>
/// Imports a CSV file of pledges, agreements, deposits or rates. Every row is decided in file order by the same
/// deciders the HTTP API uses, against the ledger as loaded in bulk and the rows before it (row 2 sees row 1).
/// A file with any bad row writes nothing; a good one is appended in one transaction, with the file's digest
/// remembered in it, so the same file imported again writes nothing. Events go through Marten's ordinary append,
/// so inline projections and the hash-chain trigger see every one of them.
/// </summary>
public static class ContributionImport
{
    public const string ImportHeader = "import";
    public const string LineHeader = "import-line";

    static readonly TimeSpan WriteTimeout = TimeSpan.FromMinutes(30);

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    /// <summary>Events for one stream, in order, each with the file line it came from.</summary>
    internal sealed record StreamWrite(Guid StreamId, Type AggregateType, long Version)
    {
        public List<(object Event, int Line)> Events { get; } = [];
    }

    /// <param name="RulesOnly">Every bad row was refused by a decider's rule, none for its input.</param>
    internal sealed record Plan(IReadOnlyList<StreamWrite> Writes, int Rows, IReadOnlyList<CurrencyTotal> Totals, decimal TotalUsd, decimal FeesUsd, bool RulesOnly = false)
    {
        public int Events => Writes.Sum(x => x.Events.Count);
    }

    public static string Digest(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));

    public static string KeyOf(ImportKind kind, string digest) => $"import:{kind.Name()}:{digest}";

    public static async Task<ImportResult> RunAsync(
        IDocumentStore store, IClock clock, ImportKind kind, byte[] file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var (answer, decided) = await DecideAsync(store, clock, kind, file, actor, options, progress, cancellation);
        return answer ?? await WriteAsync(store, decided!, actor, progress, cancellation);
    }

    /// <summary>A file decided in full and not yet written.</summary>
    internal sealed record Decided(string Key, Plan Plan, ImportSummary Summary, Stopwatch Watch);

    /// <summary>Reads and decides the whole file: the answer when that is all there is to do, else what to write.</summary>
    internal static async Task<(ImportResult? Answer, Decided? Decided)> DecideAsync(
        IDocumentStore store, IClock clock, ImportKind kind, byte[] file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var digest = Digest(file);
        var key = KeyOf(kind, digest);
        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<IdempotencyRecord>(key, cancellation) is { } before)
            {
                var earlier = JsonSerializer.Deserialize<ImportSummary>(before.Body, Json)!;
                return (new ImportResult(ImportOutcome.AlreadyImported,
                    $"This file was already imported on {earlier.At:yyyy-MM-dd HH:mm} UTC by {earlier.User}: {earlier.Rows} {kind.Name()}, nothing written.",
                    earlier, new Dictionary<string, string[]>(), watch.Elapsed), null);
            }
        }

        var errors = new ValidationErrors();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            errors.Add(CsvInput.FileField, "The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8.");
            return (Refused(kind, errors, false, watch), null);
        }

        var plan = kind == ImportKind.Rates
            ? PlanRates(text, options, errors, await LoadVersions(store, [OperationalRates.StreamId], cancellation), progress)
            : await PlanContributions(store, clock, kind, text, errors, progress, cancellation);
        if (!errors.IsEmpty || plan is null) return (Refused(kind, errors, plan is { RulesOnly: true }, watch), null);

        var summary = new ImportSummary(kind.Name(), digest, plan.Rows, plan.Events, plan.Totals, plan.TotalUsd, plan.FeesUsd, actor.User, DateTimeOffset.UtcNow);
        if (options.DryRun)
        {
            return (new ImportResult(ImportOutcome.Checked,
                $"Checked {plan.Rows} {kind.Name()}: {plan.Events} events would be recorded ({Totals(summary)}); nothing written (dry run).",
                summary, new Dictionary<string, string[]>(), watch.Elapsed), null);
        }

        return (null, new Decided(key, plan, summary, watch));
    }

    /// <summary>Appends the decided file in one transaction, expecting every stream where the decision found it.</summary>
    internal static async Task<ImportResult> WriteAsync(
        IDocumentStore store, Decided decided, ImportActor actor, ImportProgress? progress, CancellationToken cancellation)
    {
        var (plan, summary, watch) = (decided.Plan, decided.Summary, decided.Watch);
        progress?.Invoke(ImportStage.Writing, 0, plan.Rows);
        try
        {
            await Write(store, plan, summary, decided.Key, actor, cancellation);
        }
        catch (Exception e) when (ConflictExceptionHandler.Describe(e) is { } conflict)
        {
            return new ImportResult(ImportOutcome.Conflict,
                $"Another write reached the ledger while this file was being imported: {conflict} Nothing of the file was written; import it again.",
                null, new Dictionary<string, string[]>(), watch.Elapsed);
        }

        progress?.Invoke(ImportStage.Writing, plan.Rows, plan.Rows);
        var seconds = watch.Elapsed.TotalSeconds;
        return new ImportResult(ImportOutcome.Imported,
            string.Create(CultureInfo.InvariantCulture,
                $"Imported {plan.Rows} {summary.Kind} ({plan.Events} events) in {seconds:0.0} s: {plan.Rows / Math.Max(seconds, 0.001):0} rows/s. {Totals(summary)}."),
            summary, new Dictionary<string, string[]>(), watch.Elapsed);
    }

    static ImportResult Refused(ImportKind kind, ValidationErrors errors, bool rulesOnly, Stopwatch watch)
    {
        var all = errors.ToDictionary();
        var rows = all.Keys.Count(x => x.StartsWith("line ", StringComparison.Ordinal));
        var message = rows > 0
            ? $"{all.Keys.Where(x => x.StartsWith("line ", StringComparison.Ordinal)).Select(x => x[..x.IndexOf(':')]).Distinct().Count()} bad row(s) in the {kind.Name()} file; nothing written."
            : $"The {kind.Name()} file cannot be read; nothing written.";
        return new ImportResult(rulesOnly ? ImportOutcome.Rejected : ImportOutcome.Refused, message, null, all, watch.Elapsed);
    }

    static string Totals(ImportSummary summary) => summary.Kind == ImportKind.Rates.Name()
        ? $"currencies {string.Join(", ", summary.Totals.Select(x => x.Currency))}"
        : string.Create(CultureInfo.InvariantCulture,
            $"total USD {summary.TotalUsd:#,0.00}{(summary.FeesUsd != 0m ? $", fees USD {summary.FeesUsd:#,0.00}" : "")}; {string.Join(", ", summary.Totals.Select(x => $"{x.Currency} {x.Amount:#,0.###}"))}");

    static async Task<Plan?> PlanContributions(
        IDocumentStore store, IClock clock, ImportKind kind, string text, ValidationErrors errors, ImportProgress? progress,
        CancellationToken cancellation)
    {
        var fileErrors = new ValidationErrors();
        var csv = CsvInput.Read(text, ImportContributions.Required(kind), ImportContributions.Optional(kind), fileErrors);
        if (!fileErrors.IsEmpty)
        {
            Merge(errors, fileErrors);
            return null;
        }

        var rows = new List<ImportRow>(csv.Count);
        foreach (var row in csv)
        {
            rows.Add(ImportContributions.Parse(row, kind));
            if (rows.Count % 5000 == 0 && rows.Count < csv.Count) progress?.Invoke(ImportStage.Reading, rows.Count, csv.Count);
        }

        progress?.Invoke(ImportStage.Reading, rows.Count, rows.Count);

        // Everything the rows touch, in a few queries: never one query per row.
        var contributionIds = rows.Where(x => !string.IsNullOrWhiteSpace(x.Reference)).Select(x => ContributionIds.For(x.Reference!)).Distinct().ToList();
        var fundIds = rows.Select(FundIdOf).OfType<Guid>().Distinct().ToList();
        var packageIds = rows.Select(x => x.Command).OfType<RecordPledge>().Select(x => x.EarmarkedPackageId)
            .Concat(rows.Select(x => x.Command).OfType<SignAgreement>().Select(x => x.EarmarkedPackageId)).OfType<Guid>().Distinct().ToList();
        Dictionary<Guid, Contribution> contributions;
        Dictionary<Guid, Fund> funds;
        HashSet<Guid> packages;
        OperationalRates? rates;
        await using (var query = store.QuerySession())
        {
            // A query session of its own: the aggregates are evolved in memory below and must never reach a session that writes.
            contributions = (await query.LoadManyAsync<Contribution>(cancellation, contributionIds)).ToDictionary(x => x.Id);
            funds = (await query.LoadManyAsync<Fund>(cancellation, fundIds)).ToDictionary(x => x.Id);
            packages = (await query.LoadManyAsync<Package>(cancellation, packageIds)).Select(x => x.Id).ToHashSet();
            rates = await query.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        }

        var versions = await LoadVersions(store, [.. contributionIds, .. fundIds], cancellation);
        var writes = new Dictionary<Guid, StreamWrite>();
        var totals = new Dictionary<string, (decimal Amount, decimal Usd)>(StringComparer.Ordinal);
        var (totalUsd, feesUsd) = (0m, 0m);
        var refusedByRule = new HashSet<int>();

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if ((i + 1) % 5000 == 0 && i + 1 < rows.Count) progress?.Invoke(ImportStage.Deciding, i + 1, rows.Count);
            // A row read askew has nothing more worth saying.
            if (row.Errors.Contains(CsvInput.Key(row.Line, "row"))) continue;
            if (row.FundCode is not null && !funds.ContainsKey(FundIdOf(row)!.Value))
                row.Errors.Add(CsvInput.Key(row.Line, "fund_code"), $"No fund has the code '{row.FundCode}'.");
            if (row.PackageCode is not null && !packages.Contains(PackageIds.For(row.PackageCode)))
                row.Errors.Add(CsvInput.Key(row.Line, "earmarked_package_code"), $"No package has the code '{row.PackageCode}'.");
            ImportContributions.Validate(row, clock);
            if (!row.Errors.IsEmpty) continue;

            var fund = funds[FundIdOf(row)!.Value];
            var id = ContributionIds.For(row.Reference!);
            var existing = contributions.GetValueOrDefault(id);
            IReadOnlyList<object> decided;
            AdministrativeAgentFeeCharged? fee = null;
            switch (row.Command)
            {
                case RecordDeposit deposit:
                    var (outcome, refused) = RecordDepositEndpoint.Decide(existing, fund, deposit, rates);
                    if (refused is not null)
                    {
                        ImportContributions.Refuse(row, refused);
                        refusedByRule.Add(row.Line);
                        continue;
                    }

                    decided = [outcome!.Deposit];
                    fee = outcome.Fee;
                    break;
                default:
                    var decision = row.Command switch
                    {
                        RecordPledge pledge => RecordPledgeEndpoint.Decide(existing, fund, pledge, rates),
                        _ => SignAgreementEndpoint.Decide(existing, fund, (SignAgreement)row.Command, rates),
                    };
                    if (decision.Rejection is { } rejection)
                    {
                        ImportContributions.Refuse(row, rejection);
                        refusedByRule.Add(row.Line);
                        continue;
                    }

                    decided = decision.Events;
                    break;
            }

            foreach (var e in decided)
            {
                contributions[id] = Evolve(contributions.GetValueOrDefault(id), e);
                Stream(writes, versions, id, typeof(Contribution)).Events.Add((e, row.Line));
                var (money, usd) = e switch
                {
                    PledgeRecorded x => (x.Amount, x.UsdEquivalent),
                    AgreementSigned x => (x.Amount, x.UsdEquivalent),
                    DepositReceived x => (x.Amount, x.UsdEquivalent),
                    _ => throw new InvalidOperationException($"Unexpected {e.GetType().Name}"),
                };
                var sum = totals.GetValueOrDefault(money.Currency);
                totals[money.Currency] = (sum.Amount + money.Amount, sum.Usd + usd.Amount);
                totalUsd += usd.Amount;
            }

            if (fee is not null)
            {
                fund.Apply(fee);
                Stream(writes, versions, fund.Id, typeof(Fund)).Events.Add((fee, row.Line));
                feesUsd += fee.Amount.Amount;
            }
        }

        progress?.Invoke(ImportStage.Deciding, rows.Count, rows.Count);
        foreach (var row in rows) Merge(errors, row.Errors);
        return new Plan(writes.Values.ToList(), rows.Count,
            totals.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new CurrencyTotal(x.Key, x.Value.Amount, x.Value.Usd)).ToList(),
            totalUsd, feesUsd, rows.All(x => x.Errors.IsEmpty || refusedByRule.Contains(x.Line)));
    }

    static Guid? FundIdOf(ImportRow row) => row.Command switch
    {
        RecordPledge x => x.FundId,
        SignAgreement x => x.FundId,
        RecordDeposit x => x.FundId,
        _ => null,
    };

    /// <summary>One event folded into a contribution as Marten's inline snapshot folds it (Create for the first).</summary>
    static Contribution Evolve(Contribution? contribution, object e) => (e, contribution) switch
    {
        (PledgeRecorded x, null) => Contribution.Create(x),
        (AgreementSigned x, null) => Contribution.Create(x),
        (DepositReceived x, null) => Contribution.Create(x),
        (AgreementSigned x, { } c) => c.Apply(x),
        (DepositReceived x, { } c) => c.Apply(x),
        _ => throw new InvalidOperationException($"An import never records {e.GetType().Name} after the contribution's first event."),
    };

    static StreamWrite Stream(Dictionary<Guid, StreamWrite> writes, IReadOnlyDictionary<Guid, long> versions, Guid id, Type aggregate)
    {
        if (!writes.TryGetValue(id, out var write)) writes[id] = write = new StreamWrite(id, aggregate, versions.GetValueOrDefault(id));
        return write;
    }

    static Plan? PlanRates(string text, ImportOptions options, ValidationErrors errors, IReadOnlyDictionary<Guid, long> versions, ImportProgress? progress)
    {
        var (revisions, problems) = PublishRatesCsvEndpoint.ParseCsvWithLines(text, options.RatesKind, options.RatesReference);
        Merge(errors, problems);
        var rows = revisions.Sum(x => x.Lines.Count);
        progress?.Invoke(ImportStage.Reading, rows, rows);
        progress?.Invoke(ImportStage.Deciding, rows, rows);
        if (!errors.IsEmpty) return null;

        var write = new StreamWrite(OperationalRates.StreamId, typeof(OperationalRates), versions.GetValueOrDefault(OperationalRates.StreamId));
        // A revision comes from several lines: its first is named, the digest names the file.
        foreach (var (revision, lines) in revisions) write.Events.Add((PublishRatesEndpoint.Decide(revision, "csv"), lines[0]));
        var currencies = revisions.SelectMany(x => x.Revision.Rates!).Select(x => x.Currency!).Distinct().Order(StringComparer.Ordinal);
        return new Plan([write], rows, currencies.Select(x => new CurrencyTotal(x, 0m, 0m)).ToList(), 0m, 0m);
    }

    /// <summary>
    /// Each stream's version as the database has it now (0: no stream yet). The writes expect exactly these versions,
    /// so a write by anyone else in the meantime fails the whole file instead of being interleaved with it.
    /// </summary>
    static async Task<IReadOnlyDictionary<Guid, long>> LoadVersions(IDocumentStore store, Guid[] ids, CancellationToken cancellation)
    {
        var versions = new Dictionary<Guid, long>();
        if (ids.Length == 0) return versions;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select id, version from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }

    static async Task Write(IDocumentStore store, Plan plan, ImportSummary summary, string key, ImportActor actor, CancellationToken cancellation)
    {
        // One transaction for the whole file: its larger commands may run far past the default 30 s command timeout.
        await using var session = store.LightweightSession(new Marten.Services.SessionOptions { Timeout = (int)WriteTimeout.TotalSeconds });
        session.LastModifiedBy = actor.User;
        session.CorrelationId = actor.CorrelationId;
        session.CausationId = actor.Causation;
        if (actor.Roles is { } roles) session.SetHeader(ActorStamp.RolesHeader, roles);
        // The funds' statements and trial balances change with the file: no other writer to them meanwhile.
        var funds = plan.Writes.SelectMany(x => x.Events).Select(x => x.Event).OfType<IFundEvent>().Select(x => x.FundId);
        await ReadModelLocks.TakeAsync(session, funds, [], cancellation);
        // A pooled connection keeps the plans its server process made for the hash-chain triggers, perhaps when the
        // event table was tiny: kept through an import that grows it by 200,000 rows in one transaction, such a plan
        // scanned the whole table per event (10,000 deposits: 755 rows/s, against 3,300 with the plans made now).
        await using (var discard = new NpgsqlCommand("discard plans", (NpgsqlConnection)session.Connection!))
        {
            await discard.ExecuteNonQueryAsync(cancellation);
        }

        foreach (var write in plan.Writes)
        {
            var events = write.Events.Select(x => x.Event).ToArray();
            var action = write.Version == 0
                ? session.Events.StartStream(write.AggregateType, write.StreamId, events)
                : session.Events.Append(write.StreamId, write.Version + events.Length, events);
            for (var i = 0; i < events.Length; i++)
            {
                action.Events[i].SetHeader(ImportHeader, summary.Digest);
                action.Events[i].SetHeader(LineHeader, write.Events[i].Line.ToString(CultureInfo.InvariantCulture));
            }
        }

        // The digest is remembered in the same transaction: the file is recorded and remembered, or neither.
        session.Insert(new IdempotencyRecord(key, $"import {summary.Kind}", summary.Digest, StatusCodes.Status200OK, null,
            JsonSerializer.Serialize(summary, Json), summary.At));
        // The hash chain's heads move in a trigger deferred to commit, once per event: 200,000 of them for 100,000
        // deposits. Fired here, after Marten's event appends (which it always sends first), they run as a command of
        // this session with its long timeout; left to COMMIT, Npgsql gives them only the connection's 30 s.
        session.QueueSqlCommand("set constraints all immediate");
        await session.SaveChangesAsync(cancellation);
    }

    static void Merge(ValidationErrors into, ValidationErrors from)
    {
        if (from.IsEmpty) return;
        foreach (var (field, messages) in from.ToDictionary())
        {
            foreach (var message in messages) into.Add(field, message);
        }
    }
}
