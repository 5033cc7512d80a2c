using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Funding.Access;
using Funding.Funds;
using Funding.Hosting;
using Funding.Hosting.Writing;
using JasperFx;
using Npgsql;

namespace Funding.Importing;

/// <summary>
/// Imports a CSV file of pledges, agreements, deposits or rates: one pass over the file to take its digest and the
/// locks of the funds it names, then one transaction in which the file is read a part at a time
/// (<see cref="ReadingTheFile"/>), each part decided in file order with the same checks and deciders as a single
/// command (<see cref="DecidingTheRows"/>) and written in bulk (<see cref="WritingTheFile"/>). Memory holds one part,
/// whatever the file's length. A file with any bad row is rolled back whole; the same file again writes nothing.
/// </summary>
public static class LedgerImport
{
    public const string ImportHeader = "import";
    public const string LineHeader = "import-line";

    /// <summary>Rows decided and written together: large enough that a part costs a few round trips per thousand rows.</summary>
    public const int DefaultPartRows = 5_000;

    /// <summary>One transaction for the whole file: its larger statements may run far past the default 30 s command timeout.</summary>
    static readonly TimeSpan WriteTimeout = TimeSpan.FromMinutes(30);

    static readonly JsonSerializerOptions Json = JsonForFunding.CreateWeb();

    public static string Digest(byte[] file) => Convert.ToHexStringLower(SHA256.HashData(file));

    public static string KeyOf(ImportKind kind, string digest) => $"import:{kind.Name()}:{digest}";

    /// <summary>Reads, decides and writes the file in one transaction (or, for a dry run, rolls it back).</summary>
    public static async Task<ImportResult> RunAsync(
        IDocumentStore store, IClock clock, ImportKind kind, ImportFile file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var (answer, survey) = await SurveyAsync(store, kind, file, options, watch, cancellation);
        if (answer is not null) return answer;
        var pass = new Pass(store, kind, file, survey!, actor, options, clock.GetCurrentInstant().InUtc().Date, progress, watch);
        return await pass.RunAsync(write: !options.DryRun, expectedVersions: null, cancellation);
    }

    /// <summary>A file checked in full, nothing written, and what the check read: written later only if the ledger is still so.</summary>
    internal sealed record Decided(ImportFile File, FileSurvey Survey, ImportOptions Options, LocalDate Today, string VersionsRead, ImportKind Kind, Stopwatch Watch);

    /// <summary>
    /// The first of two steps: checks the file as the import would write it, writes nothing, and remembers every
    /// stream version the decisions read. The answer when that is all there is to do (a bad file, a dry run, a file
    /// imported before), else what <see cref="WriteAsync"/> needs.
    /// </summary>
    internal static async Task<(ImportResult? Answer, Decided? Decided)> DecideAsync(
        IDocumentStore store, IClock clock, ImportKind kind, ImportFile file, ImportActor actor, ImportOptions options,
        ImportProgress? progress, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var (answer, survey) = await SurveyAsync(store, kind, file, options, watch, cancellation);
        if (answer is not null) return (answer, null);
        var today = clock.GetCurrentInstant().InUtc().Date;
        var pass = new Pass(store, kind, file, survey!, actor, options, today, progress, watch);
        var checkedFile = await pass.RunAsync(write: false, expectedVersions: null, cancellation);
        return checkedFile.Outcome != ImportOutcome.Checked || options.DryRun
            ? (checkedFile, null)
            : (null, new Decided(file, survey!, options, today, pass.Tally.VersionsRead, kind, watch));
    }

    /// <summary>
    /// The second step: the decided file, decided again and written in one transaction, unless the ledger moved since
    /// the first (a stream it read at another version, a row it would now refuse): then nothing is written.
    /// </summary>
    internal static async Task<ImportResult> WriteAsync(
        IDocumentStore store, Decided decided, ImportActor actor, ImportProgress? progress, CancellationToken cancellation)
    {
        var pass = new Pass(store, decided.Kind, decided.File, decided.Survey, actor, decided.Options with { DryRun = false }, decided.Today, progress, decided.Watch);
        var result = await pass.RunAsync(write: true, expectedVersions: decided.VersionsRead, cancellation);
        if (result.Outcome is not (ImportOutcome.Refused or ImportOutcome.Rejected)) return result;
        return Conflict(pass.Tally.ClosedPeriod is { } closed
            ? $"A month was closed meanwhile. {closed}"
            : "Rows the check accepted are refused now.", decided.Watch);
    }

    /// <summary>
    /// The file's digest, and the answer when there is nothing more to do: outside the importer's remit, imported
    /// before, or not UTF-8.
    /// </summary>
    static async Task<(ImportResult? Answer, FileSurvey? Survey)> SurveyAsync(
        IDocumentStore store, ImportKind kind, ImportFile file, ImportOptions options, Stopwatch watch, CancellationToken cancellation)
    {
        if (options.FundRemit is { } remit && kind == ImportKind.Rates)
            return (OutsideRemit("every fund", $"Rates apply to every fund; your remit covers {Remit.List(remit)} only.", watch), null);
        var survey = await file.SurveyAsync(kind, cancellation);
        // Before the digest is looked up: a file imported before is not described to someone outside its funds.
        if (options.FundRemit is { } funds && survey.FundCodes.Order(StringComparer.Ordinal).FirstOrDefault(x => !funds.Contains(x)) is { } outside)
        {
            return (OutsideRemit(outside,
                $"The file records money for fund {outside}, outside your remit: you record money for {Remit.List(funds)}.", watch), null);
        }

        await using (var query = store.QuerySession())
        {
            if (await query.LoadAsync<IdempotencyRecord>(KeyOf(kind, survey.Digest), cancellation) is { } before)
            {
                var earlier = JsonSerializer.Deserialize<ImportSummary>(before.Body, Json)!;
                return (new ImportResult(ImportOutcome.AlreadyImported,
                    $"This file was already imported on {earlier.At:yyyy-MM-dd HH:mm} UTC by {earlier.User}: {earlier.Rows} {kind.Name()}, nothing written.",
                    earlier, new Dictionary<string, string[]>(), watch.Elapsed), null);
            }
        }

        if (survey.Utf8) return (null, survey);
        var errors = new ValidationErrors().Add(CsvInput.FileField, "The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8.");
        return (Refused(kind, errors, false, watch), null);
    }

    /// <summary>One pass over the file in one transaction: every part read, decided and written, then committed or rolled back.</summary>
    sealed class Pass(
        IDocumentStore store, ImportKind kind, ImportFile file, FileSurvey survey, ImportActor actor, ImportOptions options, LocalDate today,
        ImportProgress? progress, Stopwatch watch)
    {
        public FileTally Tally { get; } = new();

        public async Task<ImportResult> RunAsync(bool write, string? expectedVersions, CancellationToken cancellation)
        {
            try
            {
                return await RunInTransactionAsync(write, expectedVersions, cancellation);
            }
            catch (Exception e) when (ConflictExceptionHandler.Describe(e) is { } conflict)
            {
                return Conflict(conflict, watch);
            }
        }

        async Task<ImportResult> RunInTransactionAsync(bool write, string? expectedVersions, CancellationToken cancellation)
        {
            // Disposed without SaveChanges, the session rolls the transaction back: a bad file, a dry run, a conflict.
            await using var session = store.LightweightSession(new Marten.Services.SessionOptions { Timeout = (int)WriteTimeout.TotalSeconds });
            // The funds' statements and trial balances change with the file: no other writer to them meanwhile. Every
            // fund the file names is locked first, in order, as any write locks them; the closed months are read under
            // the periods' lock, and no close can come between this import's reading and writing.
            var funds = survey.FundCodes.Select(FundIds.For).ToList();
            var locked = await ReadModelLocks.TakeAsync(session, new ReadModelKeys(funds, [], []), cancellation);
            // A pooled connection keeps the plans its server process made for the hash chain's check, perhaps when the
            // event table was tiny: kept through an import that grows it by many thousand rows in one transaction, such a
            // plan would scan the whole table at every part.
            await using (var discard = new NpgsqlCommand("discard plans", (NpgsqlConnection)session.Connection!))
            {
                await discard.ExecuteNonQueryAsync(cancellation);
            }

            var writer = new WritingTheFile(session, actor, survey.Digest);
            var fileErrors = new ValidationErrors();
            using var text = file.OpenText();
            var done = 0;
            foreach (var part in ReadingTheFile.Parts(text, kind, options, fileErrors, options.PartRows))
            {
                // A rates file is one part, its revisions gathering its lines.
                done = kind == ImportKind.Rates ? survey.Rows : done + part.Count;
                progress?.Invoke(ImportStage.Reading, done, survey.Rows);
                // A cell that is not text refuses the file for that alone: read on, to name every such cell.
                if (!fileErrors.IsEmpty) continue;
                var writes = await DecidingTheRows.DecideAsync(session, today, locked.Closed, part, Tally, cancellation);
                progress?.Invoke(ImportStage.Deciding, done, survey.Rows);
                await writer.WriteAsync(writes, cancellation);
                progress?.Invoke(ImportStage.Writing, done, survey.Rows);
            }

            if (!fileErrors.IsEmpty) return Refused(kind, fileErrors, false, watch);
            if (!Tally.Errors.IsEmpty) return Refused(kind, Tally.Errors, Tally.RulesOnly, watch);

            var summary = new ImportSummary(kind.Name(), survey.Digest, Tally.Rows, Tally.Events, Tally.Totals, Tally.TotalUsd, Tally.FeesUsd, actor.User, DateTimeOffset.UtcNow);
            if (!write)
            {
                return new ImportResult(ImportOutcome.Checked,
                    $"Checked {Tally.Rows} {kind.Name()}: {Tally.Events} events would be recorded ({Totals(summary)}); nothing written{(options.DryRun ? " (dry run)" : "")}.",
                    summary, new Dictionary<string, string[]>(), watch.Elapsed);
            }

            if (expectedVersions is not null && expectedVersions != Tally.VersionsRead)
                throw new ConcurrencyException("A stream the file was checked against has moved on since.");

            // The digest is remembered in the same transaction: the file is recorded and remembered, or neither.
            session.Insert(new IdempotencyRecord(KeyOf(kind, survey.Digest), $"import {summary.Kind}", summary.Digest, StatusCodes.Status200OK, null,
                JsonSerializer.Serialize(summary, Json), summary.At));
            // The hash chain's heads move in a trigger deferred to commit, once per event. Fired here they run as a
            // command of this session with its long timeout; left to COMMIT, Npgsql gives them only the connection's 30 s.
            session.QueueSqlCommand("set constraints all immediate");
            await writer.PublishAsync(cancellation);
            await session.SaveChangesAsync(cancellation);

            var seconds = watch.Elapsed.TotalSeconds;
            return new ImportResult(ImportOutcome.Imported,
                string.Create(CultureInfo.InvariantCulture,
                    $"Imported {Tally.Rows} {summary.Kind} ({Tally.Events} events) in {seconds:0.0} s: {Tally.Rows / Math.Max(seconds, 0.001):0} rows/s. {Totals(summary)}."),
                summary, new Dictionary<string, string[]>(), watch.Elapsed);
        }
    }

    static ImportResult OutsideRemit(string outside, string message, Stopwatch watch) =>
        new(ImportOutcome.OutsideRemit, message + " Nothing was written.", null, new Dictionary<string, string[]>(), watch.Elapsed) { Outside = outside };

    static ImportResult Conflict(string conflict, Stopwatch watch) => new(ImportOutcome.Conflict,
        $"Another write reached the ledger while this file was being imported: {conflict} Nothing of the file was written; import it again.",
        null, new Dictionary<string, string[]>(), watch.Elapsed);

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
}
