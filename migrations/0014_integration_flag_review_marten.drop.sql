DROP TABLE IF EXISTS funding.mt_doc_flagreviewschedule CASCADE;
DROP TABLE IF EXISTS funding.mt_doc_packageflagwatch CASCADE;
