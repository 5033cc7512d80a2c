using System.Collections.Concurrent;
using System.Reflection;
using Funding.Audit.Chain;
using Funding.Contributions;
using Funding.Ledger;
using Marten;
using Funding.Periods;
using NodaTime;
using System.Data.Common;
using Funding.Statements;
using Weasel.Storage;
using Marten.Linq.QueryHandlers;
using Weasel.Postgresql;
using Marten.Services.BatchQuerying;

namespace Funding.Hosting.Writing;

/// <summary>The funds and packages a write feeds, and the contributions whose fund it feeds.</summary>
public sealed record ReadModelKeys(IReadOnlyCollection<Guid> Funds, IReadOnlyCollection<Guid> Packages, IReadOnlyCollection<Guid> Contributions);

/// <summary>
/// The funds and packages a write holds the locks of, for as long as its transaction lasts, and the books' closed
/// months as they stand while it holds them (none closed: null).
/// </summary>
/// <param name="Alone">The periods' lock held alone (a close or a reopening): no other write runs until this one commits.</param>
/// <param name="Answered">What the write's Idempotency-Key answered before, read under the locks; null when it is new.</param>
public sealed record LockedReadModels(
    IReadOnlySet<Guid> Funds, IReadOnlySet<Guid> Packages, ClosedBooks? Closed = null, bool Alone = false, IdempotencyRecord? Answered = null)
{
    public static readonly LockedReadModels None = new(new HashSet<Guid>(), new HashSet<Guid>());

    /// <summary>Whether an event's fund and package read models are locked, or are being started by this write.</summary>
    public bool Covers(object e, IReadOnlySet<Guid> started) => Alone ||
        (e is not IFundEvent fund || Funds.Contains(fund.FundId) || started.Contains(fund.FundId))
        && (e is not IPackageEvent package || Packages.Contains(package.PackageId) || started.Contains(package.PackageId));
}

/// <summary>
/// A fund's statement and trial balance, and a package's funding status, are inline read models fed by many
/// streams: each deposit arrives on its own contribution stream, each transfer on its fund's. Within SaveChanges
/// Marten reads such a document, applies the new events and writes it back. Two transactions doing that at once for
/// one fund would each write back their own copy, and one's events would be missing from it. So every write that
/// feeds them first locks the stream rows of the funds and packages it touches: funds before packages, each in id
/// order, so that no two writers wait for each other. The second writer waits for the first to commit, then reads
/// what it wrote. The locks are taken before the write loads anything, so what it decides on is what it locked.
/// </summary>
public static class ReadModelLocks
{
    static readonly ConcurrentDictionary<Type, Func<object, ReadModelKeys>> KeysOfCommand = new();

    /// <summary>
    /// What a command feeds: the ids its route names (fundId, packageId, contributionId) and the FundId and PackageId
    /// its body carries. Read by name, so a new command cannot forget one; the pipeline also checks every event it
    /// appends against the locks taken.
    /// </summary>
    public static ReadModelKeys KeysOf(object command, RouteValueDictionary route)
    {
        var body = KeysOfCommand.GetOrAdd(command.GetType(), Reader)(command);
        return new ReadModelKeys(
            [.. body.Funds, .. RouteId(route, "fundId"), .. (command as IFeedsOtherFunds)?.OtherFunds ?? []],
            [.. body.Packages, .. RouteId(route, "packageId")],
            [.. body.Contributions, .. RouteId(route, "contributionId")]);
    }

    /// <summary>The id a route names under <paramref name="name"/>, when it names a well-formed one.</summary>
    internal static IEnumerable<Guid> RouteId(RouteValueDictionary route, string name) =>
        route.TryGetValue(name, out var value) && Guid.TryParse(value as string, out var id) ? [id] : [];

    static Func<object, ReadModelKeys> Reader(Type type)
    {
        PropertyInfo? Property(string name) =>
            type.GetProperty(name) is { } p && (p.PropertyType == typeof(Guid) || p.PropertyType == typeof(Guid?)) ? p : null;

        var (fund, package, contribution) = (Property("FundId"), Property("PackageId"), Property("ContributionId"));
        return command => new ReadModelKeys(Ids(fund, command), Ids(package, command), Ids(contribution, command));

        static Guid[] Ids(PropertyInfo? property, object command) =>
            property?.GetValue(command) is Guid id && id != Guid.Empty ? [id] : [];
    }

    /// <summary>The funds that have allocated to the packages, read before the locks are taken.</summary>
    public static async Task<IReadOnlyList<Guid>> FundsOfPackagesAsync(IDocumentSession session, IReadOnlyCollection<Guid> packages, CancellationToken cancellation)
    {
        var statuses = await session.LoadManyAsync<Statements.PackageFundingStatus>(cancellation, packages);
        return statuses.SelectMany(x => x.Sources).Select(x => x.FundId).Distinct().ToList();
    }

    /// <summary>Takes the locks and reads what they guard, in a round trip of its own.</summary>
    public static async Task<LockedReadModels> TakeAsync(
        IDocumentSession session, ReadModelKeys keys, CancellationToken cancellation, bool changesPeriods = false, string? idempotencyKey = null) =>
        await (await PrepareAsync(session, keys, changesPeriods, idempotencyKey, cancellation)).Fetch(session, cancellation);

    /// <summary>
    /// Opens the write's transaction and returns its locks as a query plan: the write pipeline's batch runs it ahead of
    /// the endpoint's aggregate loads, so the locks and the loads share one round trip.
    /// </summary>
    /// <param name="changesPeriods">
    /// Closing or reopening a month takes the periods' lock alone; every other write shares it. So a close waits for the
    /// writes in flight, and a write that starts meanwhile reads the periods as the close left them.
    /// </param>
    public static async Task<LockPlan> PrepareAsync(
        IDocumentSession session, ReadModelKeys keys, bool changesPeriods, string? idempotencyKey, CancellationToken cancellation)
    {
        if (idempotencyKey is not null) await session.Database.EnsureStorageExistsAsync(typeof(IdempotencyRecord), cancellation);
        // The locks last until the session commits: it must be in its transaction before taking them.
        await session.BeginTransactionAsync(cancellation);
        return new LockPlan(session, keys, changesPeriods, idempotencyKey);
    }

    /// <summary>
    /// The locks' statements, first in whatever batch runs them. Each statement reads what has committed before it
    /// runs, so everything after them in the batch (the aggregates, the documents) is read under the locks.
    /// </summary>
    public sealed class LockPlan(IDocumentSession session, ReadModelKeys keys, bool changesPeriods, string? idempotencyKey)
        : IBatchQueryPlan<LockedReadModels>, IQueryPlan<LockedReadModels>
    {
        /// <summary>What the write feeds, as it asked for the locks.</summary>
        public ReadModelKeys Keys => keys;

        public async Task<LockedReadModels> Fetch(IQuerySession _, CancellationToken cancellation)
        {
            var batch = session.CreateBatchQuery();
            var locked = Fetch(batch);
            await batch.Execute(cancellation);
            return await locked;
        }

        public Task<LockedReadModels> Fetch(IBatchedQuery batch)
        {
            var options = session.DocumentStore.Options;
            var schema = options.Events.DatabaseSchemaName;
            var contributions = options.Schema.For<Contribution>();
            var (fundIds, packageIds, contributionIds) = (keys.Funds.Distinct().ToArray(), keys.Packages.Distinct().ToArray(), keys.Contributions.Distinct().ToArray());
            // The funds a write feeds: those it names and those of the contributions it names. One array of ids, so each
            // lookup stays an index lookup: an OR with the contributions' subquery scans every stream.
            var fundsFed = $"? || array(select (data ->> 'fundId')::uuid from {contributions} where id = any(?))";
            // In order: the periods' lock, then the periods as they stand, then the funds' and the packages' stream rows.
            var periods = batch.AddItem(new Statement<bool>(
                changesPeriods ? "select pg_advisory_xact_lock(?)" : "select pg_advisory_xact_lock_shared(?)", (_, _) => Task.FromResult(true), PeriodsLockKey));
            // The last closed day alone: a write needs no more of the periods' history.
            var closedThrough = batch.AddItem(new Statement<LocalDate?>(
                $"select (data ->> 'closedThrough')::date from {options.Schema.For<AccountingPeriods>()} where id = ?", ClosedThroughAsync, Periods.AccountingPeriods.StreamId));
            var lockFunds = fundIds.Length > 0 || contributionIds.Length > 0;
            var funds = lockFunds
                ? batch.AddItem(new Statement<HashSet<Guid>>($"select id from {schema}.mt_streams where id = any({fundsFed}) order by id for update", IdsAsync, fundIds, contributionIds))
                : Task.FromResult(new HashSet<Guid>());
            var packages = packageIds.Length > 0
                ? batch.AddItem(new Statement<HashSet<Guid>>($"select id from {schema}.mt_streams where id = any(?) order by id for update", IdsAsync, packageIds))
                : Task.FromResult(new HashSet<Guid>());

            // Then the chain heads of every stream it may continue, which the save links the new events to.
            var chain = ((StoreOptions)options).Listeners.OfType<EventChainStamp>().FirstOrDefault();
            var heads = chain is null ? Task.FromResult(true) : batch.AddItem(new Statement<bool>(
                chain.HeadsOf($"? || ? || ? || array(select (data ->> 'fundId')::uuid from {contributions} where id = any(?))"),
                async (reader, token) =>
                {
                    await EventChainStamp.RememberAsync(session, reader, token);
                    return true;
                }, fundIds, packageIds, contributionIds, contributionIds));

            // Then, read under those locks, the documents fed by many streams that the write's events will change. In an
            // identity session they stay in its map, where the save's inline projections find them instead of each reading
            // its own in a round trip of its own.
            if (lockFunds)
            {
                _ = batch.Query<TrialBalance>($"where d.id = any({fundsFed})", fundIds, contributionIds);
                _ = batch.Query<FundStatement>($"where d.id = any({fundsFed})", fundIds, contributionIds);
            }

            if (packageIds.Length > 0) _ = batch.Query<PackageFundingStatus>("where d.id = any(?)", packageIds);

            var answered = idempotencyKey is null ? Task.FromResult<IdempotencyRecord?>(null) : batch.Load<IdempotencyRecord>(idempotencyKey);
            return LockedAsync(periods, heads, funds, packages, closedThrough, answered, changesPeriods);
        }

        static async Task<LockedReadModels> LockedAsync(
            Task<bool> periods, Task<bool> heads, Task<HashSet<Guid>> funds, Task<HashSet<Guid>> packages, Task<LocalDate?> closedThrough,
            Task<IdempotencyRecord?> answered, bool alone)
        {
            await Task.WhenAll(periods, heads);
            return new LockedReadModels(await funds, await packages, ClosedBooks.Of(await closedThrough), alone, await answered);
        }
    }

    static async Task<LocalDate?> ClosedThroughAsync(DbDataReader reader, CancellationToken token) =>
        await reader.ReadAsync(token) && !await reader.IsDBNullAsync(0, token) ? LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(0)) : null;

    static async Task<HashSet<Guid>> IdsAsync(DbDataReader reader, CancellationToken token)
    {
        var ids = new HashSet<Guid>();
        while (await reader.ReadAsync(token)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>A statement of the locks' plan: its SQL, with a <c>?</c> for each parameter, and how its rows are read.</summary>
    sealed class Statement<T>(string sql, Func<DbDataReader, CancellationToken, Task<T>> read, params object[] parameters) : IQueryHandler<T>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            var placeholders = builder.AppendWithParameters(sql);
            for (var i = 0; i < placeholders.Length; i++)
            {
                // Typed by its value (a uuid[], a bigint), not as the text the placeholder starts as.
                placeholders[i].ResetDbType();
                placeholders[i].Value = parameters[i];
            }
        }

        public Task<T> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token) => read(reader, token);

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) => throw new NotSupportedException();
    }

    /// <summary>The advisory lock of the accounting periods: a fixed number no other lock of the database uses ("FUNDPERL").</summary>
    const long PeriodsLockKey = 0x46554e445045524cL;
}
