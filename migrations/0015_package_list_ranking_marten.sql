-- Edited by hand: the list's trigger functions are replaced in place (db-patch wrote DROP ... CASCADE, which would have dropped their triggers).
DO $$
BEGIN      IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'funding') THEN
        BEGIN
          EXECUTE 'CREATE SCHEMA IF NOT EXISTS funding';
        EXCEPTION
          WHEN duplicate_schema THEN NULL;
          WHEN unique_violation THEN NULL;
        END;
      END IF;

END
$$;


alter table funding.package_list add column ranked bytea NULL;
CREATE INDEX package_list_ranked ON funding.package_list USING btree (ranked);
CREATE TABLE IF NOT EXISTS funding.package_list_ranking (
    id               integer    NOT NULL,
    day              date       NOT NULL,
    horizon_days     integer    NOT NULL,
    awaiting_days    integer    NOT NULL,
CONSTRAINT pkey_package_list_ranking_id PRIMARY KEY (id)
);
CREATE TABLE IF NOT EXISTS funding.package_list_reports (
    id        uuid    NOT NULL,
    report    json    NOT NULL,
CONSTRAINT pkey_package_list_reports_id PRIMARY KEY (id)
);
CREATE OR REPLACE FUNCTION funding.package_list_rank(code text, id uuid, mandated boolean, unfunded boolean, late boolean, uncovered datemultirange, waiting_since date, day date, horizon_days integer, awaiting_days integer)
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
CREATE OR REPLACE FUNCTION funding.package_report(status_data jsonb, on_day date, horizon_days integer, awaiting_days integer)
 RETURNS json
 LANGUAGE sql
 STABLE
AS $function$
  SELECT json_build_object(
    'packageId', d.data -> 'id', 'code', d.data -> 'code', 'country', d.data -> 'country',
    'electoralProcess', d.data -> 'electoralProcess', 'origin', d.data -> 'origin', 'mandate', d.data -> 'mandate',
    'stage', d.data -> 'stage', 'status', d.data -> 'status',
    'flags', array_to_json(array_remove(array[
      case when d.data ->> 'stage' = 'Approved' and d.data ->> 'status' = 'ApprovedButUnfunded' then 'Unfunded' end,
      case when d.data ->> 'stage' = 'Approved' and d.data ->> 'status' = 'ApprovedButUnfunded' and (d.data ->> 'mandated')::boolean then 'MandatedAndUnfunded' end,
      case when exists (select from jsonb_array_elements(d.data -> 'phases') q where d.data ->> 'stage' = 'Approved' and not (q ->> 'isCovered')::boolean and (q ->> 'endsOn')::date >= on_day and (q ->> 'startsOn')::date <= on_day + horizon_days) then 'PhaseAtRisk' end,
      case when (d.data ->> 'lateRequest')::boolean then 'LateRequest' end,
      case when (d.data ->> 'waitingSince')::date < on_day - awaiting_days then 'AwaitingDecision' end], null)),
    'asOf', to_char(on_day, 'YYYY-MM-DD'),
    'approved', d.data -> 'approved', 'allocated', d.data -> 'allocated', 'transferred', d.data -> 'transferred',
    'refunded', d.data -> 'refunded', 'spent', d.data -> 'spent', 'gap', d.data -> 'gap', 'coveragePercent', d.data -> 'coveragePercent',
    'phases', (
      select coalesce(json_agg(json_build_object(
        'phase', p -> 'phase', 'startsOn', p -> 'startsOn', 'endsOn', p -> 'endsOn', 'approved', p -> 'approved',
        'allocated', p -> 'allocated', 'transferred', p -> 'transferred', 'refunded', p -> 'refunded', 'spent', p -> 'spent',
        'gap', p -> 'gap', 'coveragePercent', p -> 'coveragePercent', 'atRisk', d.data ->> 'stage' = 'Approved' and not (p ->> 'isCovered')::boolean and (p ->> 'endsOn')::date >= on_day and (p ->> 'startsOn')::date <= on_day + horizon_days) order by n), '[]')
      from jsonb_array_elements(d.data -> 'phases') with ordinality x(p, n)),
    'sources', d.data -> 'sources', 'assessed', d.data -> 'assessed', 'assessedPhases', d.data -> 'assessedPhases',
    'assessedGap', case when d.data ->> 'stage' = 'NeedsAssessed' then d.data -> 'assessed' else '0'::jsonb end,
    'forecast', null)
  FROM (SELECT status_data || jsonb_build_object() AS data OFFSET 0) d
$function$;
CREATE OR REPLACE FUNCTION funding.list_package_status()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  approved boolean;
  item funding.package_list%ROWTYPE;
  ranked_for funding.package_list_ranking%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM funding.package_list WHERE id = OLD.id;
    DELETE FROM funding.package_list_reports WHERE id = OLD.id;
    RETURN NULL;
  END IF;
  approved := NEW.data ->> 'stage' = 'Approved';
  item.id := NEW.id;
  item.code := NEW.data ->> 'code';
  item.country := NEW.data ->> 'country';
  item.status := NEW.data ->> 'status';
  item.mandated := NEW.data ->> 'origin' <> 'MemberStateRequest';
  item.unfunded := approved AND NEW.data ->> 'status' = 'ApprovedButUnfunded';
  item.late := coalesce((NEW.data ->> 'lateRequest')::boolean, false);
  item.uncovered := CASE WHEN approved THEN (
      SELECT coalesce(range_agg(daterange((p ->> 'startsOn')::date, (p ->> 'endsOn')::date, '[]')), '{}'::datemultirange)
      FROM jsonb_array_elements(NEW.data -> 'phases') AS p
      WHERE NOT (p ->> 'isCovered')::boolean AND (p ->> 'endsOn')::date >= (p ->> 'startsOn')::date)
    ELSE '{}'::datemultirange END;
  item.waiting_since := (NEW.data ->> 'waitingSince')::date;
  -- Ranked for the day the list is ranked for, which cannot move until this transaction ends.
  PERFORM pg_advisory_xact_lock_shared(5785796564896074579);
  SELECT * INTO ranked_for FROM funding.package_list_ranking WHERE id = 1;
  item.ranked := funding.package_list_rank(item.code, item.id, item.mandated, item.unfunded, item.late, item.uncovered,
    item.waiting_since, ranked_for.day, ranked_for.horizon_days, ranked_for.awaiting_days);
  INSERT INTO funding.package_list AS l (id, code, country, status, mandated, unfunded, late, uncovered, waiting_since, ranked)
  VALUES (item.id, item.code, item.country, item.status, item.mandated, item.unfunded, item.late, item.uncovered, item.waiting_since, item.ranked)
  ON CONFLICT (id) DO UPDATE SET code = excluded.code, country = excluded.country, status = excluded.status,
    mandated = excluded.mandated, unfunded = excluded.unfunded, late = excluded.late, uncovered = excluded.uncovered,
    waiting_since = excluded.waiting_since, ranked = excluded.ranked;
  IF ranked_for.day IS NULL THEN
    DELETE FROM funding.package_list_reports WHERE id = NEW.id;
  ELSE
    INSERT INTO funding.package_list_reports (id, report)
    VALUES (NEW.id, funding.package_report(NEW.data, ranked_for.day, ranked_for.horizon_days, ranked_for.awaiting_days))
    ON CONFLICT (id) DO UPDATE SET report = excluded.report;
  END IF;
  RETURN NULL;
END;
$function$;
CREATE OR REPLACE FUNCTION funding.empty_package_list()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  TRUNCATE funding.package_list, funding.package_list_reports;
  RETURN NULL;
END;
$function$;
