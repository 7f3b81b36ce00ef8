-- +goose Up
-- Managing directors are named persons: their names are personal data and
-- are stored encrypted with the tenant's data key (AES-256-GCM, row id and
-- column as associated data) like every other personal field (G21). Rows
-- written before this migration still hold the plain text in
-- managing_directors until the cleanup job's letterhead sweeper encrypts
-- them (organization.LetterheadSweeper); new writes leave it empty.
ALTER TABLE companies ADD COLUMN managing_directors_enc bytea;

-- +goose Down
ALTER TABLE companies DROP COLUMN managing_directors_enc;
