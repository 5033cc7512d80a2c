drop index if exists funding.mt_doc_contribution_idx_fund_id;
