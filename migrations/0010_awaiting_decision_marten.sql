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


alter table funding.package_list add column waiting_since date NULL;
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
