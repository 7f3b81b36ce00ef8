-- The audit chain is keyed (HMAC) with a platform key wrapped by the master
-- key, so a database writer without the master key cannot forge a chain.

-- +goose Up
ALTER TABLE platform_keys DROP CONSTRAINT platform_keys_name_check;
ALTER TABLE platform_keys ADD CONSTRAINT platform_keys_name_check
    CHECK (name IN ('blind_index', 'token_signing', 'audit_chain'));

-- +goose Down
SELECT 1;
