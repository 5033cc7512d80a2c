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
-- Replaced in place, not dropped: a DROP ... CASCADE would take the chain trigger with it.
CREATE OR REPLACE FUNCTION funding.chain_unchained_events()
 RETURNS bigint
 LANGUAGE plpgsql
AS $function$
DECLARE
  e funding.mt_events;
  current_stream uuid;
  previous text;
  link text;
  chained bigint := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM funding.mt_events WHERE headers IS NULL OR NOT headers ? 'hash') THEN
    RETURN 0;
  END IF;
  ALTER TABLE funding.mt_events DISABLE TRIGGER mt_events_never_updated;
  ALTER TABLE funding.event_chain_heads DISABLE TRIGGER event_chain_heads_never_updated;
  FOR e IN SELECT * FROM funding.mt_events ORDER BY stream_id, version LOOP
    IF current_stream IS DISTINCT FROM e.stream_id THEN
      current_stream := e.stream_id;
      previous := NULL;
    END IF;
    IF e.headers ? 'hash' THEN
      previous := e.headers ->> 'hash';
      CONTINUE;
    END IF;
    e.headers := coalesce(e.headers, '{}'::jsonb);
    link := funding.event_link(previous, e);
    UPDATE funding.mt_events SET headers = e.headers || jsonb_build_object('hash', link) WHERE seq_id = e.seq_id;
    PERFORM funding.advance_chain_head(e.stream_id, e.version, e.seq_id, link);
    previous := link;
    chained := chained + 1;
  END LOOP;
  ALTER TABLE funding.mt_events ENABLE TRIGGER mt_events_never_updated;
  ALTER TABLE funding.event_chain_heads ENABLE TRIGGER event_chain_heads_never_updated;
  RETURN chained;
END;
$function$;
drop function if exists funding.event_headers(jsonb);
