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


CREATE TABLE IF NOT EXISTS funding.fund_snapshots (
    fund_id             uuid                        NOT NULL,
    fold                text                        NOT NULL,
    up_to               bigint                      NOT NULL,
    as_at               date                        NOT NULL,
    recorded_from       timestamp with time zone    NULL,
    last_recorded_at    timestamp with time zone    NULL,
    last_dated          date                        NULL,
    first_left_out      date                        NULL,
    statement           json                        NULL,
    trial_balance       json                        NULL,
CONSTRAINT pkey_fund_snapshots_fund_id_fold_up_to_as_at PRIMARY KEY (fund_id, fold, up_to, as_at)
);
