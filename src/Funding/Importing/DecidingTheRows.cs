using System.Security.Cryptography;
using Funding.Contributions;
using Funding.Contributions.Receiving;
using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Periods;
using Funding.Rates;
using Funding.Rates.Publishing;
using Funding.Statements;
using Npgsql;

namespace Funding.Importing;

/// <summary>
/// The events of one stream that a part of a file appends, in order, each with the file line it came from and its
/// place among all the events of the part, as they were decided.
/// </summary>
/// <param name="Version">The stream's version before these events (0: a new stream); the write expects it still.</param>
public sealed record StreamWrite(Guid StreamId, Type Aggregate, long Version)
{
    public List<(object Event, int Line, int Order)> Events { get; } = [];
}

/// <summary>
/// What a file records, added up over its parts as they are decided: its totals, its bad rows in file order, and a
/// fingerprint of every stream version the decisions read (a second pass over an unchanged ledger reads the same).
/// </summary>
public sealed class FileTally
{
    readonly Dictionary<string, (decimal Amount, decimal Usd)> totals = new(StringComparer.Ordinal);
    readonly IncrementalHash versions = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public int Rows { get; internal set; }
    public int Events { get; internal set; }
    public decimal TotalUsd { get; internal set; }
    public decimal FeesUsd { get; internal set; }

    /// <summary>The rows' problems, keyed "line N: column", in file order.</summary>
    public ValidationErrors Errors { get; } = new();

    /// <summary>Every bad row so far was refused by a decider's rule, none for its input.</summary>
    public bool RulesOnly { get; internal set; } = true;

    /// <summary>The first refusal of a row dated in a closed month, if any.</summary>
    public string? ClosedPeriod { get; internal set; }

    public IReadOnlyList<CurrencyTotal> Totals =>
        totals.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new CurrencyTotal(x.Key, x.Value.Amount, x.Value.Usd)).ToList();

    /// <summary>The stream versions read, in the order they were read.</summary>
    public string VersionsRead => Convert.ToHexStringLower(versions.GetCurrentHash());

    internal void Add(string currency, decimal amount, decimal usd)
    {
        var sum = totals.GetValueOrDefault(currency);
        totals[currency] = (sum.Amount + amount, sum.Usd + usd);
    }

    internal void Read(Guid stream, long version)
    {
        Span<byte> entry = stackalloc byte[24];
        stream.TryWriteBytes(entry);
        BitConverter.TryWriteBytes(entry[16..], version);
        versions.AppendData(entry);
    }
}

/// <summary>
/// The second stage of an import, one part of the file at a time: every row decided in file order by the command's own
/// Validate and decider, against the ledger as the import's transaction sees it (the parts before included) and the
/// rows before it in the part (row 3 sees row 2), each event folded by its aggregate's own fold.
/// </summary>
public static class DecidingTheRows
{
    /// <param name="session">A session in the import's transaction: what it reads includes what the earlier parts wrote.</param>
    /// <param name="closed">The closed months, as read under the periods' lock the transaction holds.</param>
    public static async Task<IReadOnlyList<StreamWrite>> DecideAsync(
        IDocumentSession session, LocalDate today, ClosedBooks? closed, IReadOnlyList<ImportRow> rows, FileTally tally, CancellationToken cancellation)
    {
        var ledger = await LoadAsync(session, rows, tally, cancellation);
        var writes = new Dictionary<Guid, StreamWrite>();
        var refusedByRule = new HashSet<int>();
        var order = 0;

        foreach (var row in rows)
        {
            // A row read askew has nothing more worth saying.
            if (row.Errors.Contains(CsvInput.Key(row.Line, "row"))) continue;
            if (row.FundCode is not null && !ledger.Funds.ContainsKey(ledger.FundIdOf(row.FundCode)))
                row.Errors.Add(CsvInput.Key(row.Line, "fund_code"), $"No fund has the code '{row.FundCode}'.");
            if (row.PackageCode is not null && !ledger.Packages.Contains(PackageIds.For(row.PackageCode)))
                row.Errors.Add(CsvInput.Key(row.Line, "earmarked_package_code"), $"No package has the code '{row.PackageCode}'.");
            Validate(row, today);
            if (!row.Errors.IsEmpty) continue;

            var decision = row.Command switch
            {
                IContributionStep step => step.Decide(
                    ledger.Contributions.GetValueOrDefault(step.ContributionId), ledger.Funds.GetValueOrDefault(step.FundId), ledger.Rates,
                    ledger.Deposits.GetValueOrDefault(step.DepositKey)),
                PublishRates revision => PublishRates.Decide(revision, "csv"),
                _ => throw new InvalidOperationException($"A file does not hold {row.Command.GetType().Name} commands."),
            };
            // A row dated in a closed month is refused as the same command over HTTP would be.
            if (!decision.IsRejected && closed?.Refuses(decision.Events, day => ClosedBooks.FieldDated(row.Command, day)) is { } refusal)
            {
                decision = refusal;
                tally.ClosedPeriod ??= refusal.Message;
            }

            if (decision.Rejection is { } rejection)
            {
                row.Errors.Add(rejection.Field is { } field ? row.Column(field) : CsvInput.Key(row.Line, "row"), $"{rejection.Rule}: {rejection.Message}");
                refusedByRule.Add(row.Line);
                continue;
            }

            foreach (var e in decision.Events)
            {
                ledger.Fold(e);
                var stream = e.StreamId;
                if (!writes.TryGetValue(stream, out var write))
                    writes[stream] = write = new StreamWrite(stream, LedgerEvents.StreamOf(e.GetType()), ledger.Versions.GetValueOrDefault(stream));
                write.Events.Add((e, row.Line, order++));
                tally.Events++;
                switch (e)
                {
                    case IContributionValue value:
                        tally.Add(value.Amount.Currency, value.Amount.Amount, value.UsdEquivalent.Amount);
                        tally.TotalUsd += value.UsdEquivalent.Amount;
                        break;
                    case AdministrativeAgentFeeCharged fee:
                        tally.FeesUsd += fee.Amount.Amount;
                        break;
                    case OperationalRatesPublished published:
                        foreach (var rate in published.Rates) tally.Add(rate.Currency, 0m, 0m);
                        break;
                }
            }
        }

        foreach (var row in rows) Merge(tally.Errors, row.Errors);
        tally.Rows += rows.Sum(x => x.Command is PublishRates revision ? revision.Rates?.Count ?? 0 : 1);
        tally.RulesOnly &= rows.All(x => x.Errors.IsEmpty || refusedByRule.Contains(x.Line));
        return writes.Values.ToList();
    }

    /// <summary>
    /// The command's own checks, keyed by the file's line and column. A cell that could not be read at all was
    /// reported already; the command's "required" for it would only repeat that.
    /// </summary>
    internal static void Validate(ImportRow row, LocalDate today)
    {
        var problems = new ValidationErrors();
        row.Command.Validate(problems, today);
        var fields = problems.ToDictionary();
        var unreadable = fields.Keys.Select(row.Column).Where(row.Errors.Contains).ToHashSet();
        foreach (var (field, messages) in fields)
        {
            var column = row.Column(field);
            if (unreadable.Contains(column)) continue;
            foreach (var message in messages) row.Errors.Add(column, message);
        }
    }

    public static void Merge(ValidationErrors into, ValidationErrors from)
    {
        foreach (var (field, messages) in from.ToDictionary())
        {
            foreach (var message in messages.Distinct(StringComparer.Ordinal)) into.Add(field, message);
        }
    }

    /// <summary>What the rows decide on, read in a few queries, never one per row; folded in memory as rows are decided.</summary>
    sealed record Ledger(
        Dictionary<Guid, Contribution> Contributions, Dictionary<Guid, Fund> Funds, HashSet<Guid> Packages, IReadOnlyDictionary<Guid, long> Versions,
        Dictionary<Guid, RecordedDeposit> Deposits)
    {
        public OperationalRates? Rates { get; set; }

        /// <summary>The part's fund codes and their ids, worked out once per code rather than once per row.</summary>
        public required IReadOnlyDictionary<string, Guid> FundCodes { get; init; }

        public Guid FundIdOf(string code) => FundCodes[code];

        /// <summary>The event folded into its stream's aggregate with the aggregate's own fold, as Marten's snapshot will.</summary>
        public void Fold(ILedgerEvent e)
        {
            var stream = e.StreamId;
            // As the inline projection will key it: a later row with the same reference is the same deposit.
            if (e is DepositReceived deposit) Deposits[RecordedDeposit.KeyOf(deposit, Guid.Empty)] = RecordedDeposit.Of(deposit, Guid.Empty);
            switch (LedgerEvents.StreamOf(e.GetType()).Name)
            {
                case nameof(Contribution): Contributions[stream] = Contribution.Fold(Contributions.GetValueOrDefault(stream), e); break;
                case nameof(Fund): Funds[stream] = Fund.Fold(Funds.GetValueOrDefault(stream), e); break;
                case nameof(OperationalRates): Rates = OperationalRates.Fold(Rates, e); break;
                default: throw EventNotFoldedException.By<Ledger>(e);
            }
        }
    }

    static async Task<Ledger> LoadAsync(IDocumentSession session, IReadOnlyList<ImportRow> rows, FileTally tally, CancellationToken cancellation)
    {
        var contributionIds = rows.Select(x => x.Command).OfType<IContributionStep>().Select(x => x.ContributionId).Where(x => x != Guid.Empty).Distinct().ToList();
        var fundCodes = rows.Select(x => x.FundCode).OfType<string>().Distinct(StringComparer.Ordinal).ToDictionary(x => x, FundIds.For, StringComparer.Ordinal);
        var fundIds = fundCodes.Values.Distinct().ToList();
        var packageIds = rows.Select(x => x.PackageCode).OfType<string>().Select(PackageIds.For).Distinct().ToList();
        var depositKeys = rows.Select(x => x.Command).OfType<IContributionStep>().Select(x => x.DepositKey).Where(x => x != Guid.Empty).Distinct().ToList();
        // Read in the import's transaction, so the parts of the file before this one are seen; never kept across parts.
        Guid[] streams = [.. contributionIds, .. fundIds, OperationalRates.StreamId];
        var versions = await VersionsAsync(session, streams, cancellation);
        foreach (var stream in streams) tally.Read(stream, versions.GetValueOrDefault(stream));
        // A contribution's snapshot is written with its stream's events: a stream not there yet has none to read.
        var contributions = (await LoadManyAsync<Contribution>(session, contributionIds.Where(versions.ContainsKey).ToList(), cancellation)).ToDictionary(x => x.Id);
        var funds = (await LoadManyAsync<Fund>(session, fundIds, cancellation)).ToDictionary(x => x.Id);
        var packages = (await LoadManyAsync<Package>(session, packageIds, cancellation)).Select(x => x.Id).ToHashSet();
        var rates = await session.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var deposits = (await LoadManyAsync<RecordedDeposit>(session, depositKeys, cancellation)).ToDictionary(x => x.Id);
        return new Ledger(contributions, funds, packages, versions, deposits) { Rates = rates, FundCodes = fundCodes };
    }

    static async Task<IReadOnlyList<T>> LoadManyAsync<T>(IDocumentSession session, List<Guid> ids, CancellationToken cancellation) where T : notnull =>
        ids.Count == 0 ? [] : await session.LoadManyAsync<T>(cancellation, ids);

    /// <summary>
    /// Each stream's version as the transaction sees it now (0: no stream yet). The writes expect exactly these versions,
    /// so a write by anyone else in the meantime fails the whole file instead of being interleaved with it.
    /// </summary>
    static async Task<IReadOnlyDictionary<Guid, long>> VersionsAsync(IDocumentSession session, Guid[] ids, CancellationToken cancellation)
    {
        var versions = new Dictionary<Guid, long>();
        await using var command = new NpgsqlCommand(
            $"select id, version from {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams where id = any(@ids)", (NpgsqlConnection)session.Connection!);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }
}
