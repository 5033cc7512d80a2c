using Funding.Hosting.Schema;
using Funding.Shared;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace Funding.Audit.Replay;

/// <summary>
/// An index of the event log by the fund an event is about (every <see cref="Ledger.IFundEvent"/> carries its
/// fundId), in log order. A fund's statement as at a date or as known on a day is folded from exactly these
/// events; the index finds them, already in order, without listing the fund's contribution streams first.
/// Marten does not manage indexes on its event table beyond its own, so this one is a schema object of ours, and
/// Marten is told to leave it alone (<see cref="Marten.Events.IEventStoreOptions.IgnoreIndex"/>).
/// </summary>
public sealed class FundEventIndexSchema(string schema) : FeatureSchemaBase("FundEventIndex", new PostgresqlMigrator())
{
    public const string IndexName = "mt_events_fund_id";

    /// <summary>The indexed expression; a query must name it exactly so for PostgreSQL to use the index.</summary>
    public const string FundIdOfEvent = "(data ->> 'fundId')::uuid";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new EventTableIndex(new PostgresqlObjectName(schema, IndexName, SchemaUtils.IdentifierUsage.General),
            new PostgresqlObjectName(schema, "mt_events", SchemaUtils.IdentifierUsage.General),
            // As pg_get_indexdef renders it, so that an index in place compares equal.
            "USING btree ((((data ->> 'fundId'::text))::uuid), seq_id)");
    }

    /// <summary>A plain index on a table that is not ours to define.</summary>
    sealed class EventTableIndex(PostgresqlObjectName identifier, PostgresqlObjectName table, string definition)
        : DefinitionComparedObject(identifier)
    {
        protected override string CreateStatement() => $"CREATE INDEX {identifier.Name} ON {table.QualifiedName} {definition}";

        public override void WriteDropStatement(Migrator rules, TextWriter writer) =>
            writer.WriteLine($"DROP INDEX IF EXISTS {identifier.QualifiedName};");

        public override void ConfigureQueryCommand(DbCommandBuilder builder)
        {
            var name = builder.AddParameter(identifier.Name).ParameterName;
            var schema = builder.AddParameter(identifier.Schema).ParameterName;
            builder.Append($"""

                SELECT pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = :{name} AND n.nspname = :{schema};
                """);
        }
    }
}
