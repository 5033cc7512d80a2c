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


-- Replaced in place, not dropped: a DROP ... CASCADE would take the chain trigger with it.
CREATE OR REPLACE FUNCTION funding.chain_event()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  previous text;
  link text;
BEGIN
  SELECT e.headers ->> 'hash' INTO previous FROM funding.mt_events e
   WHERE e.stream_id = NEW.stream_id AND e.version < NEW.version
   ORDER BY e.version DESC LIMIT 1;
  NEW.headers := coalesce(NEW.headers, '{}'::jsonb) - 'hash';
  link := funding.event_link(previous, NEW);
  NEW.headers := NEW.headers || jsonb_build_object('hash', link);
  RETURN NEW;
END;
$function$;
CREATE OR REPLACE FUNCTION funding.chain_head_at_commit()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF NEW.version = (SELECT max(e.version) FROM funding.mt_events e WHERE e.stream_id = NEW.stream_id) THEN
    PERFORM funding.advance_chain_head(NEW.stream_id, NEW.version, NEW.seq_id, NEW.headers ->> 'hash');
  END IF;
  RETURN NULL;
END;
$function$;
DROP TRIGGER IF EXISTS mt_events_chain_head ON funding.mt_events;
CREATE CONSTRAINT TRIGGER mt_events_chain_head AFTER INSERT ON funding.mt_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funding.chain_head_at_commit();
