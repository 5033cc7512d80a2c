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

/// <summary>The events of one stream that a file appends, in order, each with the file line it came from.</summary>
/// <param name="Version">The stream's version when the file was decided (0: a new stream); the write expects it still.</param>
public sealed record StreamWrite(Guid StreamId, Type Aggregate, long Version)
{
    public List<(object Event, int Line)> Events { get; } = [];
}

/// <summary>What a file records: the writes per stream, and its totals.</summary>
/// <param name="RulesOnly">Every bad row was refused by a decider's rule, none for its input.</param>
public sealed record ImportPlan(
    IReadOnlyList<StreamWrite> Writes, int Rows, IReadOnlyList<CurrencyTotal> Totals, decimal TotalUsd, decimal FeesUsd, bool RulesOnly)
{
    public int Events => Writes.Sum(x => x.Events.Count);
}

/// <summary>
/// The second stage of an import: every row decided in file order by the command's own Validate and decider, against
/// the ledger loaded in bulk and the rows before it (row 3 sees row 2), each event folded by its aggregate's own fold.
/// </summary>
public static class DecidingTheRows
{
    public static async Task<ImportPlan> DecideAsync(
        IDocumentStore store, LocalDate today, IReadOnlyList<ImportRow> rows, ValidationErrors errors, ImportProgress? progress, CancellationToken cancellation)
    {
        var ledger = await LoadAsync(store, rows, cancellation);
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
            if (row.FundCode is not null && !ledger.Funds.ContainsKey(FundIds.For(row.FundCode)))
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
            if (!decision.IsRejected && ledger.Closed?.Refuses(decision.Events, day => ClosedBooks.FieldDated(row.Command, day)) is { } closed)
                decision = closed;
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
                write.Events.Add((e, row.Line));
                switch (e)
                {
                    case IContributionValue value:
                        var sum = totals.GetValueOrDefault(value.Amount.Currency);
                        totals[value.Amount.Currency] = (sum.Amount + value.Amount.Amount, sum.Usd + value.UsdEquivalent.Amount);
                        totalUsd += value.UsdEquivalent.Amount;
                        break;
                    case AdministrativeAgentFeeCharged fee:
                        feesUsd += fee.Amount.Amount;
                        break;
                    case OperationalRatesPublished published:
                        foreach (var rate in published.Rates) totals.TryAdd(rate.Currency, (0m, 0m));
                        break;
                }
            }
        }

        progress?.Invoke(ImportStage.Deciding, rows.Count, rows.Count);
        foreach (var row in rows) Merge(errors, row.Errors);
        return new ImportPlan(writes.Values.ToList(), rows.Sum(x => x.Command is PublishRates revision ? revision.Rates?.Count ?? 0 : 1),
            totals.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new CurrencyTotal(x.Key, x.Value.Amount, x.Value.Usd)).ToList(),
            totalUsd, feesUsd, rows.All(x => x.Errors.IsEmpty || refusedByRule.Contains(x.Line)));
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

        public ClosedBooks? Closed { get; init; }

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

    static async Task<Ledger> LoadAsync(IDocumentStore store, IReadOnlyList<ImportRow> rows, CancellationToken cancellation)
    {
        var contributionIds = rows.Select(x => x.Command).OfType<IContributionStep>().Select(x => x.ContributionId).Where(x => x != Guid.Empty).Distinct().ToList();
        var fundIds = rows.Select(x => x.FundCode).OfType<string>().Select(FundIds.For).Distinct().ToList();
        var packageIds = rows.Select(x => x.PackageCode).OfType<string>().Select(PackageIds.For).Distinct().ToList();
        // A query session of its own: the aggregates are folded in memory and must never reach a session that writes.
        await using var query = store.QuerySession();
        var contributions = (await query.LoadManyAsync<Contribution>(cancellation, contributionIds)).ToDictionary(x => x.Id);
        var funds = (await query.LoadManyAsync<Fund>(cancellation, fundIds)).ToDictionary(x => x.Id);
        var packages = (await query.LoadManyAsync<Package>(cancellation, packageIds)).Select(x => x.Id).ToHashSet();
        var rates = await query.LoadAsync<OperationalRates>(OperationalRates.StreamId, cancellation);
        var depositKeys = rows.Select(x => x.Command).OfType<IContributionStep>().Select(x => x.DepositKey).Where(x => x != Guid.Empty).Distinct().ToList();
        var deposits = (await query.LoadManyAsync<RecordedDeposit>(cancellation, depositKeys)).ToDictionary(x => x.Id);
        var versions = await VersionsAsync(store, [.. contributionIds, .. fundIds, OperationalRates.StreamId], cancellation);
        var periods = await query.LoadAsync<AccountingPeriods>(AccountingPeriods.StreamId, cancellation);
        return new Ledger(contributions, funds, packages, versions, deposits) { Rates = rates, Closed = ClosedBooks.Of(periods?.ClosedThrough) };
    }

    /// <summary>
    /// Each stream's version as the database has it now (0: no stream yet). The writes expect exactly these versions,
    /// so a write by anyone else in the meantime fails the whole file instead of being interleaved with it.
    /// </summary>
    static async Task<IReadOnlyDictionary<Guid, long>> VersionsAsync(IDocumentStore store, Guid[] ids, CancellationToken cancellation)
    {
        var versions = new Dictionary<Guid, long>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select id, version from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) versions[reader.GetGuid(0)] = reader.GetInt64(1);
        return versions;
    }
}
