-- Edited by hand: the list's trigger functions are replaced in place first (a DROP ... CASCADE would take their triggers along), then what 0015 added goes.
CREATE OR REPLACE FUNCTION funding.list_package_status()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  approved boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM funding.package_list WHERE id = OLD.id;
    RETURN NULL;
  END IF;
  approved := NEW.data ->> 'stage' = 'Approved';
  INSERT INTO funding.package_list AS l (id, code, country, status, mandated, unfunded, late, uncovered, waiting_since)
  VALUES (
    NEW.id, NEW.data ->> 'code', NEW.data ->> 'country', NEW.data ->> 'status',
    NEW.data ->> 'origin' <> 'MemberStateRequest',
    approved AND NEW.data ->> 'status' = 'ApprovedButUnfunded',
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
CREATE OR REPLACE FUNCTION funding.empty_package_list()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  TRUNCATE funding.package_list;
  RETURN NULL;
END;
$function$;
drop index if exists funding.package_list_ranked;
alter table funding.package_list drop column ranked;
DROP TABLE IF EXISTS funding.package_list_ranking CASCADE;
DROP TABLE IF EXISTS funding.package_list_reports CASCADE;
drop function if exists funding.package_list_rank(text, uuid, boolean, boolean, boolean, datemultirange, date, date, integer, integer);
drop function if exists funding.package_report(jsonb, date, integer, integer);
