-- Written by hand, not by db-patch: events recorded before the hash chain (0003) get their links, once, in each
-- stream's version order. Apply right after 0003 and before the service writes again. Idempotent: it does nothing
-- when every event already has its hash.
select funding.chain_unchained_events();
