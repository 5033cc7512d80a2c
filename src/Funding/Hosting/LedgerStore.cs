using Funding.Audit;
using Funding.Audit.Chain;
using Funding.Audit.Replay;
using Funding.Contributions;
using Funding.Funds;
using Funding.Ledger;
using Funding.Packages;
using Funding.Packages.TimeToFunding;
using Funding.Rates;
using Funding.Statements;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Core;

namespace Funding.Hosting;

/// <summary>
/// How the ledger's Marten store is set up: the service's store, and the scratch store `audit verify` rebuilds
/// every projection into, which must fold events exactly as the service does.
/// </summary>
public static class LedgerStore
{
    public const string Schema = "funding";

    public static StoreOptions Options(
        string connectionString, string schema, TimeProvider time, AutoCreate autoCreate, ProjectionLifecycle projections, bool hashChained)
    {
        var opts = new StoreOptions();
        opts.Connection(Tuned(connectionString));
        opts.DatabaseSchemaName = schema;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, JsonForFunding.Configure);
        opts.AutoCreateSchemaObjects = autoCreate;
        // Events are stamped with the service's clock, which the hash chain then fixes for good.
        opts.Events.TimeProvider = time;

        // Every event type of the ledger, each declaring its stream, business date, postings and IATI treatment.
        opts.Events.AddEventTypes(LedgerEvents.All);
        // Money read models are inline: they change in the same transaction as the events, so a finance officer
        // reads what was just recorded and the allocation rules read consistent balances.
        LedgerProjections.Register(opts, projections);
        // Inline projections read the documents they fold from the session's identity map when they are there: a write
        // puts its funds' and packages' there in its lock batch (ReadModelLocks), so its save reads none of them again.
        opts.Events.UseIdentityMapForAggregates = true;

        // Who did it and why: the user on every event; roles, idempotency key, business date and chain hash in its
        // headers; the request's correlation and causation ids.
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Listeners.Add(new BusinessDateStamp());
        if (hashChained)
        {
            // The service links each event into its stream's chain (after the business date, which the link covers),
            // so it must know each event's sequence number before writing it: rich appends. After Marten's own tables,
            // the database keeps the event table append-only and checks that every insert continues the chain.
            opts.Events.AppendMode = EventAppendMode.Rich;
            opts.Listeners.Add(new EventChainStamp(schema));
            opts.Storage.Add(new EventChainSchema(schema));
        }
        // Read paths of our own over Marten's tables: the fund index of the log, the package list's keys, the funds' snapshots.
        opts.Events.IgnoreIndex(FundEventIndexSchema.IndexName);
        opts.Storage.Add(new FundEventIndexSchema(schema));
        opts.Storage.Add(new PackageListSchema(schema));
        opts.Storage.Add(new FundSnapshotSchema(schema));
        // The integration messages' flag review: what it last published for each package, and when it runs next.
        opts.RegisterDocumentType<Integration.PackageFlagWatch>();
        opts.RegisterDocumentType<Integration.FlagReviewSchedule>();
        return opts;
    }

    /// <summary>
    /// Npgsql's pool settings for the ledger. Unless the connection string says otherwise, a pooled connection is not
    /// reset with DISCARD ALL on its way back to the pool: the reset threw away PostgreSQL's cached plans for the
    /// append and hash-chain functions, which were then planned again in every transaction. Nothing the ledger does
    /// keeps state in a connection's session (no SET, temporary tables or held advisory locks across uses) that a
    /// reset would have cleared.
    /// Statements the same connection runs twice are prepared, so PostgreSQL plans a deposit's statements once per
    /// connection instead of in every request. A statement refused while PostgreSQL reads its values can leave the
    /// connection's prepared statements out of step with the server; a store with <see cref="LedgerLog"/> attached
    /// (the service's, audit verify's) retires the pool's connections on such a refusal (PooledConnectionTests), and
    /// the edge refuses the text that causes it (TextRules).
    /// </summary>
    public static string Tuned(string connectionString)
    {
        // The keys as written ("No Reset On Close" and "NoResetOnClose" both name it); Npgsql's own builder answers
        // ContainsKey for every keyword it knows, set or not.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(x => x.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(builder.NoResetOnClose))) builder.NoResetOnClose = true;
        if (!given.Contains(nameof(builder.MaxAutoPrepare))) builder.MaxAutoPrepare = 100;
        if (!given.Contains(nameof(builder.AutoPrepareMinUsages))) builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }
}
