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
/// Each row also keeps its place in the list as it is ordered on one day under one set of flag rules
/// (<c>ranked</c>, for the day and rules in <c>package_list_ranking</c>; see <see cref="PackageListRanking"/>): a page
/// asked for on that day reads its rows off an index instead of sorting every item.
/// </summary>
public sealed class PackageListSchema(string schema) : FeatureSchemaBase("PackageList", new PostgresqlMigrator())
{
    public const string Table = "package_list";
    public const string RankingTable = "package_list_ranking";
    public const string RankFunction = "package_list_rank";
    public const string Reports = "package_list_reports";
    public const string ReportFunction = "package_report";

    /// <summary>
    /// The advisory lock under which the ranking's day moves: held alone while every row is ranked again, shared by the
    /// trigger as it ranks a row, so no row is ranked for a day the list no longer is ("PKGRANKS").
    /// </summary>
    public const long RankingLockKey = 0x504b4752414e4b53L;
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
        // Null while no day is ranked.
        list.AddColumn("ranked", "bytea");
        list.Indexes.Add(new IndexDefinition("package_list_ranked") { Columns = ["ranked"] });
        yield return list;

        // One row at most: the day and the flag rules the list's rows are ranked for.
        var ranking = new Table(Name(RankingTable));
        ranking.AddColumn("id", "integer").AsPrimaryKey();
        ranking.AddColumn("day", "date").NotNull();
        ranking.AddColumn("horizon_days", "integer").NotNull();
        ranking.AddColumn("awaiting_days", "integer").NotNull();
        yield return ranking;

        // Each package's report as PackageStatusPage writes it, for the day and rules the list is ranked for: today's page
        // is copied out, not built. Kept apart from the narrow rows, which every other page sorts and counts.
        var reports = new Table(Name(Reports));
        reports.AddColumn("id", "uuid").AsPrimaryKey();
        reports.AddColumn("report", "json").NotNull();
        yield return reports;

        // A row's place as PackageStatusPage orders the list on a day, as bytes that sort the same way: mandated and
        // unfunded first, then more flags, then the code as collation "C" compares it (its UTF-8 bytes, ended by a zero
        // byte so that a code sorts before the codes it begins), then the id. The flags counted are those of
        // PackageStatusPage.Keys: unfunded, mandated and unfunded, a phase at risk within the horizon, late, waiting too long.
        // The arguments on one line, as PostgreSQL writes the function back: Weasel compares the two.
        yield return new Function(Name(RankFunction, SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.{{RankFunction}}(code text, id uuid, mandated boolean, unfunded boolean, late boolean, uncovered datemultirange, waiting_since date, day date, horizon_days integer, awaiting_days integer)
             RETURNS bytea
             LANGUAGE sql
             IMMUTABLE
            AS $function$
              SELECT CASE WHEN day IS NULL THEN NULL ELSE
                decode(CASE WHEN unfunded AND mandated THEN '00' ELSE '01' END || lpad(to_hex(255 - (
                  unfunded::int + (unfunded AND mandated)::int + (uncovered && daterange(day, day + horizon_days, '[]'))::int
                  + late::int + coalesce(waiting_since < day - awaiting_days, false)::int)), 2, '0'), 'hex')
                || convert_to(code, 'UTF8') || '\x00'::bytea || uuid_send(id) END
            $function$;
            """);

        // PackageStatusReport, in its members' order, from the status document's JSON: the stored figures as they are (the
        // document carries its computed members: status, gap, coveragePercent, lateRequest...), and what depends on the day
        // asked about (the flags, each phase's risk) from the day and the rules. A phase is at risk as
        // PackageFundingStatus.PhasesAtRisk has it (a package names each phase once). The document is decompressed once,
        // not once per member read from it.
        yield return new Function(Name(ReportFunction, SchemaUtils.IdentifierUsage.Function), $$"""
            CREATE OR REPLACE FUNCTION {{schema}}.{{ReportFunction}}(status_data jsonb, on_day date, horizon_days integer, awaiting_days integer)
             RETURNS json
             LANGUAGE sql
             STABLE
            AS $function$
              SELECT json_build_object(
                'packageId', d.data -> 'id', 'code', d.data -> 'code', 'country', d.data -> 'country',
                'electoralProcess', d.data -> 'electoralProcess', 'origin', d.data -> 'origin', 'mandate', d.data -> 'mandate',
                'stage', d.data -> 'stage', 'status', d.data -> 'status',
                'flags', array_to_json(array_remove(array[
                  {{Flag(FundingFlag.Unfunded, Unfunded)}},
                  {{Flag(FundingFlag.MandatedAndUnfunded, $"{Unfunded} and (d.data ->> 'mandated')::boolean")}},
                  {{Flag(FundingFlag.PhaseAtRisk, $"exists (select from jsonb_array_elements(d.data -> 'phases') q where {PhaseAtRisk("q")})")}},
                  {{Flag(FundingFlag.LateRequest, "(d.data ->> 'lateRequest')::boolean")}},
                  {{Flag(FundingFlag.AwaitingDecision, "(d.data ->> 'waitingSince')::date < on_day - awaiting_days")}}], null)),
                'asOf', to_char(on_day, 'YYYY-MM-DD'),
                'approved', d.data -> 'approved', 'allocated', d.data -> 'allocated', 'transferred', d.data -> 'transferred',
                'refunded', d.data -> 'refunded', 'spent', d.data -> 'spent', 'gap', d.data -> 'gap', 'coveragePercent', d.data -> 'coveragePercent',
                'phases', (
                  select coalesce(json_agg(json_build_object(
                    'phase', p -> 'phase', 'startsOn', p -> 'startsOn', 'endsOn', p -> 'endsOn', 'approved', p -> 'approved',
                    'allocated', p -> 'allocated', 'transferred', p -> 'transferred', 'refunded', p -> 'refunded', 'spent', p -> 'spent',
                    'gap', p -> 'gap', 'coveragePercent', p -> 'coveragePercent', 'atRisk', {{PhaseAtRisk("p")}}) order by n), '[]')
                  from jsonb_array_elements(d.data -> 'phases') with ordinality x(p, n)),
                'sources', d.data -> 'sources', 'assessed', d.data -> 'assessed', 'assessedPhases', d.data -> 'assessedPhases',
                'assessedGap', case when d.data ->> 'stage' = '{{PackageStatus.NeedsAssessed}}' then d.data -> 'assessed' else '0'::jsonb end,
                'forecast', null)
              FROM (SELECT status_data || jsonb_build_object() AS data OFFSET 0) d
            $function$;
            """);

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
              item {{schema}}.{{Table}}%ROWTYPE;
              ranked_for {{schema}}.{{RankingTable}}%ROWTYPE;
            BEGIN
              IF TG_OP = 'DELETE' THEN
                DELETE FROM {{schema}}.{{Table}} WHERE id = OLD.id;
                DELETE FROM {{schema}}.{{Reports}} WHERE id = OLD.id;
                RETURN NULL;
              END IF;
              approved := NEW.data ->> 'stage' = '{{PackageStatus.Approved}}';
              item.id := NEW.id;
              item.code := NEW.data ->> 'code';
              item.country := NEW.data ->> 'country';
              item.status := NEW.data ->> 'status';
              item.mandated := NEW.data ->> 'origin' <> '{{PackageOrigin.MemberStateRequest}}';
              item.unfunded := approved AND NEW.data ->> 'status' = '{{FundingStatus.ApprovedButUnfunded}}';
              item.late := coalesce((NEW.data ->> 'lateRequest')::boolean, false);
              item.uncovered := CASE WHEN approved THEN (
                  SELECT coalesce(range_agg(daterange((p ->> 'startsOn')::date, (p ->> 'endsOn')::date, '[]')), '{}'::datemultirange)
                  FROM jsonb_array_elements(NEW.data -> 'phases') AS p
                  WHERE NOT (p ->> 'isCovered')::boolean AND (p ->> 'endsOn')::date >= (p ->> 'startsOn')::date)
                ELSE '{}'::datemultirange END;
              item.waiting_since := (NEW.data ->> 'waitingSince')::date;
              -- Ranked for the day the list is ranked for, which cannot move until this transaction ends.
              PERFORM pg_advisory_xact_lock_shared({{RankingLockKey}});
              SELECT * INTO ranked_for FROM {{schema}}.{{RankingTable}} WHERE id = 1;
              item.ranked := {{schema}}.{{RankFunction}}(item.code, item.id, item.mandated, item.unfunded, item.late, item.uncovered,
                item.waiting_since, ranked_for.day, ranked_for.horizon_days, ranked_for.awaiting_days);
              INSERT INTO {{schema}}.{{Table}} AS l (id, code, country, status, mandated, unfunded, late, uncovered, waiting_since, ranked)
              VALUES (item.id, item.code, item.country, item.status, item.mandated, item.unfunded, item.late, item.uncovered, item.waiting_since, item.ranked)
              ON CONFLICT (id) DO UPDATE SET code = excluded.code, country = excluded.country, status = excluded.status,
                mandated = excluded.mandated, unfunded = excluded.unfunded, late = excluded.late, uncovered = excluded.uncovered,
                waiting_since = excluded.waiting_since, ranked = excluded.ranked;
              IF ranked_for.day IS NULL THEN
                DELETE FROM {{schema}}.{{Reports}} WHERE id = NEW.id;
              ELSE
                INSERT INTO {{schema}}.{{Reports}} (id, report)
                VALUES (NEW.id, {{schema}}.{{ReportFunction}}(NEW.data, ranked_for.day, ranked_for.horizon_days, ranked_for.awaiting_days))
                ON CONFLICT (id) DO UPDATE SET report = excluded.report;
              END IF;
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
              TRUNCATE {{schema}}.{{Table}}, {{schema}}.{{Reports}};
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

    static string Flag(FundingFlag flag, string when) => $"case when {when} then '{flag}' end";

    const string Unfunded = $"d.data ->> 'stage' = '{nameof(PackageStatus.Approved)}' and d.data ->> 'status' = '{nameof(FundingStatus.ApprovedButUnfunded)}'";

    static string PhaseAtRisk(string p) =>
        $"d.data ->> 'stage' = '{nameof(PackageStatus.Approved)}' and not ({p} ->> 'isCovered')::boolean " +
        $"and ({p} ->> 'endsOn')::date >= on_day and ({p} ->> 'startsOn')::date <= on_day + horizon_days";

    PostgresqlObjectName Name(string name, SchemaUtils.IdentifierUsage usage = SchemaUtils.IdentifierUsage.General) => new(schema, name, usage);

    Trigger Trigger(string name, string function, TriggerEvents events, bool forEachRow) =>
        new(Name(name), Name(Documents), $"{schema}.{function}")
        {
            Timing = TriggerTiming.After,
            Events = events,
            ForEachRow = forEachRow,
        };
}
