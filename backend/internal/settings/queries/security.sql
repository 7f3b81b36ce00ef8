-- name: GetSecuritySettings :one
SELECT password_min_length, password_composition, invitation_ttl_hours, session_idle_minutes,
    session_absolute_hours, certificate_change_tracking, handover_code_required, handover_code_channels, require_mfa, mfa_methods, passkey_login, settings_version
FROM tenants
WHERE id = @tenant_id;

-- name: LockSecuritySettings :one
-- The settings before a change (for the audit record of old → new),
-- locked until the change commits.
SELECT password_min_length, password_composition, invitation_ttl_hours, session_idle_minutes,
    session_absolute_hours, certificate_change_tracking, handover_code_required, handover_code_channels, require_mfa, mfa_methods, passkey_login, settings_version
FROM tenants
WHERE id = @tenant_id
FOR UPDATE;

-- name: UpdateSecuritySettings :one
UPDATE tenants SET password_min_length = @password_min_length, password_composition = @password_composition,
    invitation_ttl_hours = @invitation_ttl_hours, session_idle_minutes = @session_idle_minutes,
    session_absolute_hours = @session_absolute_hours, certificate_change_tracking = @certificate_change_tracking,
    handover_code_required = @handover_code_required, handover_code_channels = @handover_code_channels::text[],
    require_mfa = @require_mfa, mfa_methods = @mfa_methods::text[], passkey_login = @passkey_login,
    settings_version = settings_version + 1
WHERE id = @tenant_id AND settings_version = @version
RETURNING password_min_length, password_composition, invitation_ttl_hours, session_idle_minutes,
    session_absolute_hours, certificate_change_tracking, handover_code_required, handover_code_channels, require_mfa, mfa_methods, passkey_login, settings_version;
