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


alter table funding.mt_doc_packagefundingstatus add column if not exists code varchar NULL;update funding.mt_doc_packagefundingstatus set "code" = data ->> 'code';
alter table funding.mt_doc_packagefundingstatus add column if not exists country varchar NULL;update funding.mt_doc_packagefundingstatus set "country" = data ->> 'country';
alter table funding.mt_doc_packagefundingstatus add column if not exists stage varchar NULL;update funding.mt_doc_packagefundingstatus set "stage" = data ->> 'stage';
alter table funding.mt_doc_packagefundingstatus add column if not exists status varchar NULL;update funding.mt_doc_packagefundingstatus set "status" = data ->> 'status';
alter table funding.mt_doc_packagefundingstatus add column if not exists origin varchar NULL;update funding.mt_doc_packagefundingstatus set "origin" = data ->> 'origin';
alter table funding.mt_doc_packagefundingstatus add column if not exists late_request boolean NULL;
-- By hand: documents stored before this migration do not carry lateRequest; it is worked out as PackageFundingStatus.IsLateRequest does.
update funding.mt_doc_packagefundingstatus set "late_request" = coalesce(
  (data ->> 'requestedOn')::date > (data ->> 'electionDay')::date - interval '4 months', false);
alter table funding.mt_doc_packagefundingstatus add column if not exists uncovered_phase_starts date[] NULL;
-- By hand: from the phases themselves, in their order, as the document's uncoveredPhaseStarts would give.
update funding.mt_doc_packagefundingstatus set "uncovered_phase_starts" = array(
  select (p.phase ->> 'startsOn')::date from jsonb_array_elements(data -> 'phases') with ordinality as p(phase, position)
  where not (p.phase ->> 'isCovered')::boolean order by p.position);
alter table funding.mt_doc_packagefundingstatus add column if not exists uncovered_phase_ends date[] NULL;
-- By hand: from the phases themselves, in their order, as the document's uncoveredPhaseEnds would give.
update funding.mt_doc_packagefundingstatus set "uncovered_phase_ends" = array(
  select (p.phase ->> 'endsOn')::date from jsonb_array_elements(data -> 'phases') with ordinality as p(phase, position)
  where not (p.phase ->> 'isCovered')::boolean order by p.position);
