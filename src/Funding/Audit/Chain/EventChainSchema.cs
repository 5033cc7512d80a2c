using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Funding.Audit.Chain;

/// <summary>
/// The database half of the audit trail, managed with Marten's schema (so db-patch writes it into migrations/):
/// the event table is append-only for everyone who has not disabled its triggers (only its owner or a superuser
/// can), and every inserted event gets its chain hash in its headers. Registered after Marten's event tables.
/// </summary>
public sealed class EventChainSchema(string schema) : FeatureSchemaBase("EventChain", new PostgresqlMigrator())
{
    public const string HeadsTable = "event_chain_heads";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var heads = new Table(Name(HeadsTable, SchemaUtils.IdentifierUsage.General));
        heads.AddColumn("stream_id", "uuid").AsPrimaryKey();
        heads.AddColumn("version", "bigint").NotNull();
        heads.AddColumn("seq_id", "bigint").NotNull();
        heads.AddColumn("hash", "text").NotNull();
        yield return heads;

        yield return new Function(Name("chain_event", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.chain_event()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            DECLARE
              previous text;
              link text;
            BEGIN
              SELECT e.headers ->> 'hash' INTO previous FROM {{schema}}.mt_events e
               WHERE e.stream_id = NEW.stream_id AND e.version < NEW.version
               ORDER BY e.version DESC LIMIT 1;
              NEW.headers := coalesce(NEW.headers, '{}'::jsonb) - 'hash';
              link := encode(sha256(convert_to(concat_ws(E'\n',
                coalesce(previous, ''), NEW.seq_id::text, NEW.stream_id::text, NEW.version::text, NEW.type, NEW.data::text,
                coalesce(NEW.headers ->> 'businessDate', ''),
                to_char(NEW."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                coalesce(NEW.user_name, ''), coalesce(NEW.correlation_id, ''), coalesce(NEW.causation_id, ''),
                NEW.headers::text), 'UTF8')), 'hex');
              NEW.headers := NEW.headers || jsonb_build_object('hash', link);
              INSERT INTO {{schema}}.{{HeadsTable}} (stream_id, version, seq_id, hash)
              VALUES (NEW.stream_id, NEW.version, NEW.seq_id, link)
              ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, seq_id = excluded.seq_id, hash = excluded.hash;
              RETURN NEW;
            END;
            $function$;
            """);

        yield return new Function(Name("refuse_ledger_change", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.refuse_ledger_change()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            BEGIN
              -- The chain moves a stream's head forward from inside its own insert trigger, and only from there.
              IF TG_TABLE_NAME = '{{HeadsTable}}' AND TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION '%.% is append-only: % refused. Record a correction instead.', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
            END;
            $function$;
            """);

        yield return Trigger("mt_events_chain", "mt_events", "chain_event()", TriggerEvents.Insert, forEachRow: true);
        // One event per trigger: PostgreSQL renders "UPDATE OR DELETE" in its own order, and Weasel would see drift.
        foreach (var table in new[] { "mt_events", HeadsTable })
        {
            yield return Trigger($"{table}_never_updated", table, "refuse_ledger_change()", TriggerEvents.Update, forEachRow: true);
            yield return Trigger($"{table}_never_deleted", table, "refuse_ledger_change()", TriggerEvents.Delete, forEachRow: true);
            yield return Trigger($"{table}_never_truncated", table, "refuse_ledger_change()", TriggerEvents.Truncate, forEachRow: false);
        }
    }

    PostgresqlObjectName Name(string name, SchemaUtils.IdentifierUsage usage) => new(schema, name, usage);

    Trigger Trigger(string name, string table, string function, TriggerEvents events, bool forEachRow) =>
        new(Name(name, SchemaUtils.IdentifierUsage.General), Name(table, SchemaUtils.IdentifierUsage.General), $"{schema}.{function}")
        {
            Timing = TriggerTiming.Before,
            Events = events,
            ForEachRow = forEachRow,
        };
}
