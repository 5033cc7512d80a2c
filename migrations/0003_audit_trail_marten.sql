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


alter table funding.mt_events add column correlation_id varchar NULL;
alter table funding.mt_events add column causation_id varchar NULL;
DROP FUNCTION IF EXISTS funding.mt_quick_append_events(stream uuid, stream_type character varying, tenantid character varying, event_ids uuid[], event_types character varying[], dotnet_types character varying[], bodies jsonb[], bdatas bytea[], headers jsonb[], user_names character varying[], timestamps timestamp with time zone[], expected_version bigint) cascade;

CREATE OR REPLACE FUNCTION funding.mt_quick_append_events(stream uuid, stream_type varchar, tenantid varchar, event_ids uuid[], event_types varchar[], dotnet_types varchar[], bodies jsonb[], bdatas bytea[], causation_ids varchar[], correlation_ids varchar[], headers jsonb[], user_names varchar[], timestamps timestamp with time zone[], expected_version bigint DEFAULT NULL::bigint) RETURNS bigint[] AS $$
DECLARE
	event_version bigint;
	stream_is_archived boolean;
	event_type varchar;
	event_id uuid;
	body jsonb;
	index int;
	seq bigint;
    actual_tenant varchar;
    is_new_stream boolean := false;
	return_value bigint[];
BEGIN
    if expected_version IS NOT NULL then
        -- COALESCE turns the NULL we get for a brand-new stream into 0, so a
        -- FetchForWriting against a non-existent stream (which sets
        -- ExpectedVersionOnServer = 0) and a StartStream(id, version: 0) both
        -- land on the new-stream branch instead of mis-firing the guard.
        select version, is_archived into event_version, stream_is_archived from funding.mt_streams where id = stream;
        if COALESCE(event_version, 0) != expected_version then
            RAISE EXCEPTION 'Stream version mismatch on ''%'': expected %, actual %', stream, expected_version, COALESCE(event_version, 0) USING ERRCODE = 'MT003';
        end if;
    else
        select version, is_archived into event_version, stream_is_archived from funding.mt_streams where id = stream;
    end if;

	if event_version IS NULL then
		event_version = 0;
		is_new_stream := true;
		-- #5456 follow-up: insert the FINAL version straight away rather than 0 plus a
		-- trailing UPDATE of the row we just wrote in this same transaction. That UPDATE
		-- is a second heap tuple + WAL record per stream creation for no observable gain
		-- -- nothing outside this transaction can see the intermediate 0. The trailing
		-- UPDATE below is skipped for this branch via is_new_stream.
		insert into funding.mt_streams (id, type, version, timestamp, tenant_id) values (stream, stream_type, COALESCE(array_length(event_ids, 1), 0), now(), tenantid);
    else
        if stream_is_archived then
            RAISE EXCEPTION 'Attempted to append event to archived stream with Id ''%''.', stream USING ERRCODE = 'MT001';
        end if;
        if tenantid IS NOT NULL then
            select tenant_id into actual_tenant from funding.mt_streams where id = stream;
            if actual_tenant != tenantid then
                RAISE EXCEPTION 'The tenantid does not match the existing stream';
            end if;
        end if;
	end if;

	index := 1;
	-- #5062: array_length('{}', 1) is NULL in PostgreSQL, not 0, so a call with an
	-- empty event array used to return ARRAY[NULL] -- a bigint[] whose only element
	-- is NULL, which Npgsql cannot read into long[] ('Cannot read a non-nullable
	-- collection of elements because the returned array contains nulls'). COALESCE
	-- makes the empty case mean what it says: zero events appended, so the final
	-- version is the stream's current version.
	return_value := ARRAY[event_version + COALESCE(array_length(event_ids, 1), 0)];

	foreach event_id in ARRAY event_ids
	loop
        seq := nextval('funding.mt_events_sequence');
		return_value := array_append(return_value, seq);

	    event_version := event_version + 1;
		event_type = event_types[index];
		body = bodies[index];

		-- #4515 / #4578 / Phase 2: bdatas[index] carries the binary payload
		-- for events opted in to binary serialization (NULL otherwise).
		-- bodies[index] is the {} JSON placeholder for those events so the
		-- existing data jsonb NOT NULL constraint stays intact.
		insert into funding.mt_events
			(seq_id, id, stream_id, version, data, bdata, type, tenant_id, timestamp, mt_dotnet_type, is_archived, causation_id, correlation_id, headers, user_name)
		values
			(seq, event_id, stream, event_version, body, bdatas[index], event_type, tenantid, timestamps[index], dotnet_types[index], FALSE, causation_ids[index], correlation_ids[index], headers[index], user_names[index]);

		index := index + 1;
	end loop;

	-- A brand-new stream already carries its final version from the insert above, so the
	-- UPDATE is only needed when we appended onto a stream that already existed.
	--
	-- #5539: and only when we actually appended something. With ZERO events this was a BLIND write-back
	-- of the version read at the top of the function, and under READ COMMITTED that is a lost update: the
	-- UPDATE waits on a concurrent appender's row lock, the winner commits, the WHERE clause is
	-- re-evaluated against the new row, and `set version = <the stale value>` lands -- leaving
	-- mt_streams.version BELOW the stream's own events. Every later append then computes a version that
	-- already exists and dies on pk_mt_events_stream_and_version, forever, until the row is repaired by
	-- hand. A non-empty call cannot do this: its first INSERT collides with the winner on that same
	-- primary key and rolls the whole thing back, which is why only the empty case was exposed.
	--
	-- Two independent guards, because either alone would have been enough and the cost of both is nil:
	--   * the append count -- appending nothing has nothing to write, so the correct number of statements
	--     is zero rather than one that happens to be harmless;
	--   * greatest(), so the write-back can never LOWER a stream's version whoever calls it. An append
	--     only ever moves a version forward, so this is a no-op on every correct path and a backstop on
	--     any future caller that reads the version and then writes it back.
	if not is_new_stream and COALESCE(array_length(event_ids, 1), 0) > 0 then
		update funding.mt_streams set version = greatest(version, event_version), timestamp = now() where id = stream;
	end if;

	return return_value;
END
$$ LANGUAGE plpgsql;

CREATE TABLE IF NOT EXISTS funding.event_chain_heads (
    stream_id    uuid      NOT NULL,
    version      bigint    NOT NULL,
    seq_id       bigint    NOT NULL,
    hash         text      NOT NULL,
CONSTRAINT pkey_event_chain_heads_stream_id PRIMARY KEY (stream_id)
);
CREATE OR REPLACE FUNCTION funding.event_link(previous text, e funding.mt_events)
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
CREATE OR REPLACE FUNCTION funding.advance_chain_head(stream uuid, stream_version bigint, sequence bigint, link text)
 RETURNS void
 LANGUAGE sql
AS $function$
  INSERT INTO funding.event_chain_heads (stream_id, version, seq_id, hash)
  VALUES (stream, stream_version, sequence, link)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, seq_id = excluded.seq_id, hash = excluded.hash;
$function$;
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
CREATE OR REPLACE FUNCTION funding.refuse_ledger_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- The chain moves a stream's head forward from inside its own insert trigger, and only from there.
  IF TG_TABLE_NAME = 'event_chain_heads' AND TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '%.% is append-only: % refused. Record a correction instead.', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$function$;
DROP TRIGGER IF EXISTS mt_events_chain ON funding.mt_events;
CREATE TRIGGER mt_events_chain BEFORE INSERT ON funding.mt_events FOR EACH ROW EXECUTE FUNCTION funding.chain_event();
DROP TRIGGER IF EXISTS mt_events_never_updated ON funding.mt_events;
CREATE TRIGGER mt_events_never_updated BEFORE UPDATE ON funding.mt_events FOR EACH ROW EXECUTE FUNCTION funding.refuse_ledger_change();
DROP TRIGGER IF EXISTS mt_events_never_deleted ON funding.mt_events;
CREATE TRIGGER mt_events_never_deleted BEFORE DELETE ON funding.mt_events FOR EACH ROW EXECUTE FUNCTION funding.refuse_ledger_change();
DROP TRIGGER IF EXISTS mt_events_never_truncated ON funding.mt_events;
CREATE TRIGGER mt_events_never_truncated BEFORE TRUNCATE ON funding.mt_events FOR EACH STATEMENT EXECUTE FUNCTION funding.refuse_ledger_change();
DROP TRIGGER IF EXISTS event_chain_heads_never_updated ON funding.event_chain_heads;
CREATE TRIGGER event_chain_heads_never_updated BEFORE UPDATE ON funding.event_chain_heads FOR EACH ROW EXECUTE FUNCTION funding.refuse_ledger_change();
DROP TRIGGER IF EXISTS event_chain_heads_never_deleted ON funding.event_chain_heads;
CREATE TRIGGER event_chain_heads_never_deleted BEFORE DELETE ON funding.event_chain_heads FOR EACH ROW EXECUTE FUNCTION funding.refuse_ledger_change();
DROP TRIGGER IF EXISTS event_chain_heads_never_truncated ON funding.event_chain_heads;
CREATE TRIGGER event_chain_heads_never_truncated BEFORE TRUNCATE ON funding.event_chain_heads FOR EACH STATEMENT EXECUTE FUNCTION funding.refuse_ledger_change();
