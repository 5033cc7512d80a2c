DROP TABLE IF EXISTS funding.mt_doc_fundingtimeline CASCADE;
