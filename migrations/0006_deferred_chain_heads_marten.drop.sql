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
  PERFORM funding.advance_chain_head(NEW.stream_id, NEW.version, NEW.seq_id, link);
  RETURN NEW;
END;
$function$;
drop function if exists funding.chain_head_at_commit();
DROP TRIGGER IF EXISTS mt_events_chain_head ON funding.mt_events;
