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
  INSERT INTO funding.package_list AS l (id, code, country, status, mandated, unfunded, late, uncovered)
  VALUES (
    NEW.id, NEW.data ->> 'code', NEW.data ->> 'country', NEW.data ->> 'status',
    NEW.data ->> 'origin' <> 'MemberStateRequest',
    approved AND NEW.data ->> 'status' = 'ApprovedButUnfunded',
    coalesce((NEW.data ->> 'lateRequest')::boolean, false),
    CASE WHEN approved THEN (
      SELECT coalesce(range_agg(daterange((p ->> 'startsOn')::date, (p ->> 'endsOn')::date, '[]')), '{}'::datemultirange)
      FROM jsonb_array_elements(NEW.data -> 'phases') AS p
      WHERE NOT (p ->> 'isCovered')::boolean AND (p ->> 'endsOn')::date >= (p ->> 'startsOn')::date)
    ELSE '{}'::datemultirange END)
  ON CONFLICT (id) DO UPDATE SET code = excluded.code, country = excluded.country, status = excluded.status,
    mandated = excluded.mandated, unfunded = excluded.unfunded, late = excluded.late, uncovered = excluded.uncovered;
  RETURN NULL;
END;
$function$;

-- Written by hand: the list's late flag as the new rule gives it, for the statuses already stored (a late request
-- is now flagged before approval too, and no longer once the package is closed).
UPDATE funding.package_list AS l
   SET late = d.data ->> 'stage' <> 'Closed' AND coalesce((d.data ->> 'lateRequest')::boolean, false)
  FROM funding.mt_doc_packagefundingstatus AS d
 WHERE d.id = l.id;
