using Funding.Packages;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Funding.Statements;

/// <summary>
/// The package list's sort and filter keys, one narrow row per package status, kept by triggers on the status
/// documents' table in the same transaction as each write (and emptied with it when a rebuild truncates it). Listing
/// 10,000 packages reads these rows, not 10,000 JSON documents; only the page's documents are read whole.
/// The flags are stored as they apply to approved packages only; a phase at risk depends on the day asked about, so
/// the uncovered phases are kept as date ranges and tested against the horizon in the query (PackageStatusPage).
/// </summary>
public sealed class PackageListSchema(string schema) : FeatureSchemaBase("PackageList", new PostgresqlMigrator())
{
    public const string Table = "package_list";
    const string Documents = "mt_doc_packagefundingstatus";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var list = new Table(Name(Table));
        list.AddColumn("id", "uuid").AsPrimaryKey();
        list.AddColumn("code", "text").NotNull();
        list.AddColumn("country", "text").NotNull();
        list.AddColumn("status", "text").NotNull();
        list.AddColumn("mandated", "boolean").NotNull();
        list.AddColumn("unfunded", "boolean").NotNull();
        list.AddColumn("late", "boolean").NotNull();
        list.AddColumn("uncovered", "datemultirange").NotNull();
        list.AddColumn("waiting_since", "date");
        yield return list;

        // From the document's own JSON, written by PackageFundingStatus: status, lateRequest, waitingSince and each
        // phase's isCovered are its computed members, so the rules stay in C#. A phase ending before it starts cannot be
        // recorded (PhaseBudgetInput), and is skipped here rather than failing the money write it came with.
        yield return new Function(Name("list_package_status", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.list_package_status()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            DECLARE
              approved boolean;
            BEGIN
              IF TG_OP = 'DELETE' THEN
                DELETE FROM {{schema}}.{{Table}} WHERE id = OLD.id;
                RETURN NULL;
              END IF;
              approved := NEW.data ->> 'stage' = '{{PackageStatus.Approved}}';
              INSERT INTO {{schema}}.{{Table}} AS l (id, code, country, status, mandated, unfunded, late, uncovered, waiting_since)
              VALUES (
                NEW.id, NEW.data ->> 'code', NEW.data ->> 'country', NEW.data ->> 'status',
                NEW.data ->> 'origin' <> '{{PackageOrigin.MemberStateRequest}}',
                approved AND NEW.data ->> 'status' = '{{FundingStatus.ApprovedButUnfunded}}',
                coalesce((NEW.data ->> 'lateRequest')::boolean, false),
                CASE WHEN approved THEN (
                  SELECT coalesce(range_agg(daterange((p ->> 'startsOn')::date, (p ->> 'endsOn')::date, '[]')), '{}'::datemultirange)
                  FROM jsonb_array_elements(NEW.data -> 'phases') AS p
                  WHERE NOT (p ->> 'isCovered')::boolean AND (p ->> 'endsOn')::date >= (p ->> 'startsOn')::date)
                ELSE '{}'::datemultirange END,
                (NEW.data ->> 'waitingSince')::date)
              ON CONFLICT (id) DO UPDATE SET code = excluded.code, country = excluded.country, status = excluded.status,
                mandated = excluded.mandated, unfunded = excluded.unfunded, late = excluded.late, uncovered = excluded.uncovered,
                waiting_since = excluded.waiting_since;
              RETURN NULL;
            END;
            $function$;
            """);

        yield return new Function(Name("empty_package_list", SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.empty_package_list()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            BEGIN
              TRUNCATE {{schema}}.{{Table}};
              RETURN NULL;
            END;
            $function$;
            """);

        // One event per trigger: PostgreSQL renders "INSERT OR UPDATE" in its own order, and Weasel would see drift.
        yield return Trigger("package_list_on_insert", "list_package_status()", TriggerEvents.Insert, forEachRow: true);
        yield return Trigger("package_list_on_update", "list_package_status()", TriggerEvents.Update, forEachRow: true);
        yield return Trigger("package_list_on_delete", "list_package_status()", TriggerEvents.Delete, forEachRow: true);
        yield return Trigger("package_list_on_truncate", "empty_package_list()", TriggerEvents.Truncate, forEachRow: false);
    }

    PostgresqlObjectName Name(string name, SchemaUtils.IdentifierUsage usage = SchemaUtils.IdentifierUsage.General) => new(schema, name, usage);

    Trigger Trigger(string name, string function, TriggerEvents events, bool forEachRow) =>
        new(Name(name), Name(Documents), $"{schema}.{function}")
        {
            Timing = TriggerTiming.After,
            Events = events,
            ForEachRow = forEachRow,
        };
}
