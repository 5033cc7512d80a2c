DROP TABLE IF EXISTS funding.mt_doc_accountingperiods CASCADE;
DROP TABLE IF EXISTS funding.mt_doc_recordeddeposit CASCADE;
