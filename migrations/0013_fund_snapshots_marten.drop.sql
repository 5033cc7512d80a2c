DROP TABLE IF EXISTS funding.fund_snapshots CASCADE;
