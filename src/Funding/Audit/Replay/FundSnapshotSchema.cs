using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Funding.Audit.Replay;

/// <summary>
/// The kept snapshots of each fund's statement and trial balance (<see cref="FundSnapshot"/>), one row each: folded
/// from the log, never changed, and only read by the statements as at a date and as known on a day. A snapshot of every
/// date has <c>as_at</c> 'infinity' (a key column cannot be null). The models are kept as <c>json</c>, as written:
/// <c>jsonb</c> would reorder a dictionary's keys, and a fold going on from it would list them in another order.
/// </summary>
public sealed class FundSnapshotSchema(string schema) : FeatureSchemaBase("FundSnapshots", new PostgresqlMigrator())
{
    public const string Table = "fund_snapshots";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table(new PostgresqlObjectName(schema, Table, SchemaUtils.IdentifierUsage.General));
        // In this order: a fund's snapshots of one build, the latest first, is a scan of the key backwards.
        table.AddColumn("fund_id", "uuid").AsPrimaryKey();
        table.AddColumn("fold", "text").AsPrimaryKey();
        table.AddColumn("up_to", "bigint").AsPrimaryKey();
        table.AddColumn("as_at", "date").AsPrimaryKey();
        table.AddColumn("recorded_from", "timestamp with time zone");
        table.AddColumn("last_recorded_at", "timestamp with time zone");
        table.AddColumn("last_dated", "date");
        table.AddColumn("first_left_out", "date");
        table.AddColumn("statement", "json");
        table.AddColumn("trial_balance", "json");
        yield return table;
    }
}
