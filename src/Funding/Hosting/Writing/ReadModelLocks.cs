using System.Collections.Concurrent;
using System.Reflection;
using Funding.Contributions;
using Funding.Ledger;
using Marten;
using Npgsql;

namespace Funding.Hosting.Writing;

/// <summary>The funds and packages a write feeds, and the contributions whose fund it feeds.</summary>
public sealed record ReadModelKeys(IReadOnlyCollection<Guid> Funds, IReadOnlyCollection<Guid> Packages, IReadOnlyCollection<Guid> Contributions);

/// <summary>The funds and packages a write holds the locks of, for as long as its transaction lasts.</summary>
public sealed record LockedReadModels(IReadOnlySet<Guid> Funds, IReadOnlySet<Guid> Packages)
{
    public static readonly LockedReadModels None = new(new HashSet<Guid>(), new HashSet<Guid>());

    /// <summary>Whether an event's fund and package read models are locked, or are being started by this write.</summary>
    public bool Covers(object e, IReadOnlySet<Guid> started) =>
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
            [.. body.Funds, .. RouteId(route, "fundId")],
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

    public static async Task<LockedReadModels> TakeAsync(IDocumentSession session, ReadModelKeys keys, CancellationToken cancellation)
    {
        // The locks last until the session commits: it must be in its transaction before taking them.
        await session.BeginTransactionAsync(cancellation);
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var contributions = session.DocumentStore.Options.Schema.For<Contribution>();
        // One array of ids, so the lock stays an index lookup: an OR with the contributions' subquery scans every stream.
        var funds = await LockAsync(session,
            $"""
             select id from {schema}.mt_streams
              where id = any(@funds || array(select (data ->> 'fundId')::uuid from {contributions} where id = any(@contributions)))
              order by id for update
             """,
            cancellation, ("funds", keys.Funds), ("contributions", keys.Contributions));
        var packages = await LockAsync(session, $"select id from {schema}.mt_streams where id = any(@packages) order by id for update",
            cancellation, ("packages", keys.Packages));
        return new LockedReadModels(funds, packages);
    }

    static async Task<HashSet<Guid>> LockAsync(IDocumentSession session, string sql, CancellationToken cancellation, params (string Name, IReadOnlyCollection<Guid> Ids)[] parameters)
    {
        var locked = new HashSet<Guid>();
        if (parameters.All(x => x.Ids.Count == 0)) return locked;
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)session.Connection!);
        foreach (var (name, ids) in parameters) command.Parameters.AddWithValue(name, ids.Distinct().ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) locked.Add(reader.GetGuid(0));
        return locked;
    }
}
