-- +goose Up
-- The name search's GIN index without the pending list (fastupdate). With
-- it, new entries wait in an unsorted list that every search scans whole
-- until VACUUM merges it: after an HR system upserts 10,000 employees, a
-- lookup read ~480 index pages (2 ms) instead of 3–7 (0.03 ms), and the
-- list's count(*) paid it again (docs/performance.md, "Employees"). Without
-- it, each insert updates the index directly, which the upsert benchmark
-- measures. The pending list left from before is merged now.
ALTER INDEX employees_name_tokens_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('employees_name_tokens_idx'::regclass);

-- +goose Down
ALTER INDEX employees_name_tokens_idx RESET (fastupdate);
