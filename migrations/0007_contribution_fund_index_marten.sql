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


CREATE INDEX IF NOT EXISTS mt_doc_contribution_idx_fund_id ON funding.mt_doc_contribution USING btree ((CAST(data ->> 'fundId' as uuid)));
