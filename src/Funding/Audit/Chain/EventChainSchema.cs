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
/// can), every insert must continue each stream's hash chain, and each stream's head is kept. Registered after
/// Marten's event tables.
/// </summary>
public sealed class EventChainSchema(string schema) : FeatureSchemaBase("EventChain", new PostgresqlMigrator())
{
    public const string HeadsTable = "event_chain_heads";
    const string TombstoneType = "tombstone";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var heads = new Table(Name(HeadsTable, SchemaUtils.IdentifierUsage.General));
        heads.AddColumn("stream_id", "uuid").AsPrimaryKey();
        heads.AddColumn("version", "bigint").NotNull();
        heads.AddColumn("seq_id", "bigint").NotNull();
        heads.AddColumn("hash", "text").NotNull();
        yield return heads;

        // The link: SHA-256 over the previous hash of the stream and the event's immutable fields, one per line.
        // EventChain.HashOf computes the same thing independently; keep the two in step.
        yield return new Function(Name("event_link", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.event_link(previous text, e {{schema}}.mt_events)
             RETURNS text
             LANGUAGE sql
             STABLE
            AS $function$
              SELECT encode(sha256(convert_to(concat_ws(E'\n',
                coalesce(previous, ''), e.seq_id::text, e.stream_id::text, e.version::text, e.type, e.data::text,
                coalesce(e.headers ->> 'businessDate', ''),
                to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                coalesce(e.user_name, ''), coalesce(e.correlation_id, ''), coalesce(e.causation_id, ''),
                (coalesce(e.headers, '{}'::jsonb) - 'hash')::text), 'UTF8')), 'hex')
            $function$;
            """);

        // An event's headers as the chain keeps them: an object, empty when none were written (SQL NULL or JSON null).
        // Anything else is not Marten's header map, and is refused rather than chained in an unreadable shape.
        yield return new Function(Name("event_headers", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.event_headers(headers jsonb)
             RETURNS jsonb
             LANGUAGE plpgsql
             IMMUTABLE
            AS $function$
            BEGIN
              IF headers IS NULL OR jsonb_typeof(headers) = 'null' THEN
                RETURN '{}'::jsonb;
              ELSIF jsonb_typeof(headers) <> 'object' THEN
                RAISE EXCEPTION 'An event''s headers must be a JSON object, not %.', jsonb_typeof(headers) USING ERRCODE = 'invalid_parameter_value';
              END IF;
              RETURN headers;
            END;
            $function$;
            """);

        // A stream's chain head: where its last link is, so a cut-off tail shows.
        yield return new Function(Name("advance_chain_head", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.advance_chain_head(stream uuid, stream_version bigint, sequence bigint, link text)
             RETURNS void
             LANGUAGE sql
            AS $function$
              INSERT INTO {{schema}}.{{HeadsTable}} (stream_id, version, seq_id, hash)
              VALUES (stream, stream_version, sequence, link)
              ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, seq_id = excluded.seq_id, hash = excluded.hash;
            $function$;
            """);

        // The service computes every link (EventChainStamp); the database checks, once per statement and over all its
        // rows (a COPY of a whole file included), that each new event continues its stream: its prev header is the
        // hash of the stream's event before it. It then moves each stream's head to the statement's last event.
        // Marten's tombstones (placeholders for sequence numbers a failed write reserved, on a stream of their own) carry
        // no money and no link; a tombstone put into a real stream would break its chain for the next event.
        yield return new Function(Name("chain_continues", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.chain_continues()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            DECLARE
              broken record;
            BEGIN
              SELECT a.seq_id, a.stream_id, a.version INTO broken
                FROM added a
                LEFT JOIN {{schema}}.mt_events p ON p.stream_id = a.stream_id AND p.version = a.version - 1
               WHERE a.type <> '{{TombstoneType}}'
                 AND (jsonb_typeof(a.headers) IS DISTINCT FROM 'object'
                      OR coalesce(a.headers ->> 'hash', '') !~ '^[0-9a-f]{64}$'
                      OR a.headers ->> 'prev' IS DISTINCT FROM CASE WHEN a.version = 1 THEN '' ELSE p.headers ->> 'hash' END)
               LIMIT 1;
              IF FOUND THEN
                RAISE EXCEPTION 'Event % (stream %, version %) does not continue its stream''s hash chain: its prev header must be the hash of the event before it, and its hash header a SHA-256.',
                  broken.seq_id, broken.stream_id, broken.version USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              INSERT INTO {{schema}}.{{HeadsTable}} AS h (stream_id, version, seq_id, hash)
              SELECT DISTINCT ON (a.stream_id) a.stream_id, a.version, a.seq_id, a.headers ->> 'hash'
                FROM added a
               WHERE a.type <> '{{TombstoneType}}'
               ORDER BY a.stream_id, a.version DESC
              ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, seq_id = excluded.seq_id, hash = excluded.hash
               WHERE h.version < excluded.version;
              RETURN NULL;
            END;
            $function$;
            """);

        // Events recorded before the chain existed get their links once, in each stream's order, by the table's
        // owner (it switches the update guard off for the duration). From then on the chain vouches for them.
        yield return new Function(Name("chain_unchained_events", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.chain_unchained_events()
             RETURNS bigint
             LANGUAGE plpgsql
            AS $function$
            DECLARE
              e {{schema}}.mt_events;
              current_stream uuid;
              previous text;
              link text;
              chained bigint := 0;
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM {{schema}}.mt_events WHERE headers IS NULL OR NOT headers ? 'hash') THEN
                RETURN 0;
              END IF;
              ALTER TABLE {{schema}}.mt_events DISABLE TRIGGER mt_events_never_updated;
              ALTER TABLE {{schema}}.{{HeadsTable}} DISABLE TRIGGER {{HeadsTable}}_never_updated;
              FOR e IN SELECT * FROM {{schema}}.mt_events ORDER BY stream_id, version LOOP
                IF current_stream IS DISTINCT FROM e.stream_id THEN
                  current_stream := e.stream_id;
                  previous := NULL;
                END IF;
                IF e.headers ? 'hash' THEN
                  previous := e.headers ->> 'hash';
                  CONTINUE;
                END IF;
                e.headers := {{schema}}.event_headers(e.headers);
                link := {{schema}}.event_link(previous, e);
                UPDATE {{schema}}.mt_events SET headers = e.headers || jsonb_build_object('hash', link) WHERE seq_id = e.seq_id;
                PERFORM {{schema}}.advance_chain_head(e.stream_id, e.version, e.seq_id, link);
                previous := link;
                chained := chained + 1;
              END LOOP;
              ALTER TABLE {{schema}}.mt_events ENABLE TRIGGER mt_events_never_updated;
              ALTER TABLE {{schema}}.{{HeadsTable}} ENABLE TRIGGER {{HeadsTable}}_never_updated;
              RETURN chained;
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

        yield return new StatementInsertTrigger(Name("mt_events_chain", SchemaUtils.IdentifierUsage.General),
            Name("mt_events", SchemaUtils.IdentifierUsage.General), "added", $"{schema}.chain_continues()");
        // Where the database computed links itself, one event at a time: gone, with the functions they ran.
        yield return new AbsentTrigger(Name("mt_events_chain_head", SchemaUtils.IdentifierUsage.General), Name("mt_events", SchemaUtils.IdentifierUsage.General));
        yield return new AbsentFunction(Name("chain_event", SchemaUtils.IdentifierUsage.Function));
        yield return new AbsentFunction(Name("chain_head_at_commit", SchemaUtils.IdentifierUsage.Function));
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
