-- Reordered by hand: the triggers go before the functions they call.
DROP TRIGGER IF EXISTS package_list_on_insert ON funding.mt_doc_packagefundingstatus;
DROP TRIGGER IF EXISTS package_list_on_update ON funding.mt_doc_packagefundingstatus;
DROP TRIGGER IF EXISTS package_list_on_delete ON funding.mt_doc_packagefundingstatus;
DROP TRIGGER IF EXISTS package_list_on_truncate ON funding.mt_doc_packagefundingstatus;
drop function if exists funding.list_package_status();
drop function if exists funding.empty_package_list();
DROP TABLE IF EXISTS funding.package_list CASCADE;
DROP INDEX IF EXISTS funding.mt_events_fund_id;
