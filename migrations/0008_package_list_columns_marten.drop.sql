alter table funding.mt_doc_packagefundingstatus drop column code;
alter table funding.mt_doc_packagefundingstatus drop column country;
alter table funding.mt_doc_packagefundingstatus drop column stage;
alter table funding.mt_doc_packagefundingstatus drop column status;
alter table funding.mt_doc_packagefundingstatus drop column origin;
alter table funding.mt_doc_packagefundingstatus drop column late_request;
alter table funding.mt_doc_packagefundingstatus drop column uncovered_phase_starts;
alter table funding.mt_doc_packagefundingstatus drop column uncovered_phase_ends;
