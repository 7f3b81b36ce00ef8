#!/usr/bin/env bash
# Mutation check of the security-critical packages (docs/security.md
# "Mutation check"): each mutant is one small edit that removes one
# protection — a perl substitution on one file — after which only the tests
# that docs/security.md cites for that protection run. A mutant is KILLED
# when they fail (or time out), SURVIVED when they pass, INVALID when the
# edit does not compile (then the mutant itself is wrong, not the tests).
# The file is restored with `git checkout` after every mutant and on any
# exit, so a mutation is never left behind.
#
# Not part of `make test` (a full run compiles test binaries 61 times: 2.5
# to 7 minutes on the shared two-core machine); run it with `make mutants`
# (or `make mutants MUTANTS="A2 R7"`) after changing a protection or its
# tests, and update docs/security.md §5 with the result.
#
#   scripts/mutants.sh                 # every mutant
#   scripts/mutants.sh A2 K1 P3        # only these ids
#
# Needs ZEUGO_TEST_DATABASE_URL (as for `make test-go`); without it the
# script asks scripts/ensure-postgres.sh for a server. Exit status: 0 when
# every mutant ran (survivors are reported, not failed: some are
# equivalent, see docs/security.md), 1 when a mutant was INVALID or could
# not be applied (the script no longer matches the code: fix the mutant),
# 2 on usage errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/backend"

if [ -z "${ZEUGO_TEST_DATABASE_URL:-}" ]; then
  ZEUGO_TEST_DATABASE_URL="$("$root/scripts/ensure-postgres.sh")/postgres?sslmode=disable"
fi
export ZEUGO_TEST_DATABASE_URL

# Refuse to run over uncommitted changes of the code we mutate: restoring
# a file with git checkout would throw them away.
if ! git diff --quiet HEAD -- internal/; then
  echo "mutants: backend/internal has uncommitted changes; commit or stash them first" >&2
  exit 2
fi

current=""
restore() {
  if [ -n "$current" ]; then
    git checkout -q -- "$current"
    current=""
  fi
}
trap restore EXIT
trap 'restore; exit 130' INT TERM

only=" $* "
log=$(mktemp)
trap 'restore; rm -f "$log"' EXIT
total=0 killed=0 survived=0 invalid=0
survivors=()

# mutant ID FILE PERL_SUBSTITUTION PACKAGES RUN_PATTERN DESCRIPTION
#   FILE is relative to backend/; the substitution runs with perl -0 (the
#   whole file is one string, so it may span lines); PACKAGES is a
#   space-separated list; RUN_PATTERN is go test -run.
mutant() {
  local id=$1 file=$2 expr=$3 pkgs=$4 pattern=$5 what=$6
  if [ "$only" != "  " ] && [[ "$only" != *" $id "* ]]; then
    return 0
  fi
  total=$((total + 1))
  current=$file
  perl -0pi -e "$expr" "$file"
  if git diff --quiet -- "$file"; then
    restore
    echo "$id NOT APPLIED  $what ($file: pattern not found)"
    invalid=$((invalid + 1))
    return 0
  fi
  local status
  # shellcheck disable=SC2086 # pkgs is a list
  if go test -count=1 -timeout 5m -run "$pattern" $pkgs >"$log" 2>&1; then
    status=SURVIVED
    survived=$((survived + 1))
    survivors+=("$id $what")
  elif grep -qE '\[build failed\]|\[setup failed\]|^# ' "$log"; then
    status=INVALID
    invalid=$((invalid + 1))
    sed -n '1,10p' "$log" >&2
  else
    status=KILLED
    killed=$((killed + 1))
  fi
  restore
  printf '%-4s %-9s %s\n' "$id" "$status" "$what"
}

# ---------------------------------------------------------------- auth --
mutant A1 internal/auth/tokens.go 's/jwt\.WithValidMethods\(\[\]string\{jwt\.SigningMethodEdDSA\.Alg\(\)\}\), //' \
  "./internal/auth/ ./internal/organization/" 'TestUnauthenticatedCallsAreRefused|TestLoginRefreshReuseLogout|FuzzVerifyAccessToken|TestVerifyAcceptsOnlyEdDSA' \
  "V9.1.2 algorithm allowlist dropped (jwt.WithValidMethods)"
mutant A2 internal/auth/tokens.go 's/(jwt\.WithLeeway\(5\*time\.Second\)\)\n\tif err != nil) \{/$1 \&\& !errors.Is(err, jwt.ErrTokenSignatureInvalid) {/' \
  "./internal/auth/ ./internal/organization/" 'TestUnauthenticatedCallsAreRefused|TestLoginRefreshReuseLogout|FuzzVerifyAccessToken|TestVerifyRefusesWrongSignatures' \
  "V9.1.1 a token with an invalid signature is accepted"
mutant A3 internal/auth/tokens.go 's/jwt\.WithAudience\(tokenAudience\), //' \
  "./internal/auth/ ./internal/organization/" 'TestUnauthenticatedCallsAreRefused|TestLoginRefreshReuseLogout|FuzzVerifyAccessToken|TestVerifyChecksTheClaims' \
  "V9.2.3 audience not checked"
mutant A4 internal/auth/tokens.go 's/jwt\.WithLeeway\(5\*time\.Second\)/jwt.WithLeeway(1000*time.Hour)/' \
  "./internal/auth/" 'TestAccessTokenExpires' \
  "V9.2.1 exp/nbf not enforced (leeway of 1000 h)"
mutant A5 internal/auth/tokens.go 's/if _, err := rand\.Read\(secret\); err != nil/if _, err := rand.Read(secret[:2]); err != nil/' \
  "./internal/auth/" 'TestLoginRefreshReuseLogout|FuzzParseRefreshToken|TestRefreshTokensAreLongAndRandom' \
  "V7.2.3 refresh token has 16 random bits"
mutant A6 internal/auth/sessioncheck.go 's/AND s\.revoked_at IS NULL AND s\.idle_expires_at > \$4 AND s\.absolute_expires_at > \$4/AND s.idle_expires_at > \$4 AND s.absolute_expires_at > \$4/' \
  "./internal/auth/" 'TestLoginRefreshReuseLogout' \
  "V7.4.1 a revoked (logged out) session still acts"
mutant A7 internal/auth/sessioncheck.go "s/AND u\.status = 'active' AND t\.status/AND t.status/" \
  "./internal/auth/" 'TestLockingAnAccountEndsItsLiveSessionsAtOnce' \
  "V7.4.2 a locked user's live session still acts"
mutant A8 internal/auth/sessioncheck.go 's/ AND s\.absolute_expires_at > \$4\n/\n/' \
  "./internal/auth/" 'TestAbsoluteTimeoutEndsEvenAnActiveSession' \
  "V7.3.2 absolute session lifetime not checked"
mutant A9 internal/auth/store.go 's/\n\t\tFOR UPDATE OF rt`/\n\t\t`/' \
  "./internal/auth/" 'TestConcurrentRefreshOnlyOneWins' \
  "V2.3.4 refresh token row not locked (concurrent refreshes)"
mutant A10 internal/auth/store.go "s/>= \\\$3 AND u\.status = 'active' THEN 'locked'/>= \\\$3 + 1000 AND u.status = 'active' THEN 'locked'/" \
  "./internal/auth/" 'TestLockoutAndUnlock' \
  "V6.3.1 lockout never locks"
mutant A11 internal/auth/auth.go 's/if err := a\.limiter\.Allow\(ctx, a\.policy\.LoginPerIP, ip\); err != nil/if err := error(nil); err != nil/' \
  "./internal/auth/" 'TestLoginRateLimitPerIP' \
  "V6.3.1 per-IP login rate limit skipped"
mutant A13 internal/auth/auth.go 's/\tif !heard \{/\tif false \&\& !heard {/' \
  "./internal/auth/" 'TestLoginThrottle|TestLockingOneAccountTakes28Seconds|TestThrottleTreatsUnknownEmailsAlike|TestConcurrentAttemptsCannotSkipTheThrottle' \
  "V6.3.1 per-email login throttle skipped"
mutant A14 internal/auth/auth.go 's/if err := a\.limiter\.Check\(ctx, a\.policy\.LoginFailuresPerIP, ip\); err != nil/if err := error(nil); err != nil/' \
  "./internal/auth/" 'TestFailedLoginsPerAddressPerHour|TestOneAddressLocksAtMostFourAccountsAnHour' \
  "V6.3.1 hourly failed-login limit per address skipped"
mutant A12 internal/auth/auth.go 's/(\t\t\treused = true\n)\t\t\tif err := revokeSession\(ctx, tx, tenantID, rt\.SessionID, "refresh_reuse", now\); err != nil \{/$1\t\t\tif err := error(nil); err != nil {/' \
  "./internal/auth/" 'TestLoginRefreshReuseLogout' \
  "V7.2 refresh-token reuse does not revoke the session"

# ------------------------------------------------------------- keyring --
mutant K1 internal/keyring/keyring.go 's/return \[\]byte\("zeugo\/field\/v1\/" \+ tenantID\.String\(\) \+ "\/" \+ rowID\.String\(\) \+ "\/" \+ column\)/return []byte("zeugo\/field\/v1\/")/' \
  "./internal/keyring/" 'TestMovedCiphertextFails|TestSwappedCiphertextInDatabaseFails' \
  "V11.3.3 field ciphertext not bound to tenant, row and column (AEAD AD)"
mutant K2 internal/keyring/keyring.go 's/ \+ "\/" \+ column\)/)/' \
  "./internal/keyring/" 'TestMovedCiphertextFails|TestSwappedCiphertextInDatabaseFails' \
  "V11.3.3 field ciphertext not bound to its column"
mutant K3 internal/keyring/keyring.go 's/"zeugo\/wrap\/"\+label/"zeugo\/wrap\/"/g' \
  "./internal/keyring/" 'TestMasterWrapUnwrap|TestVersionedDataKeys' \
  "wrapped keys not bound to their label (tenant, version)"
mutant K4 internal/keyring/keyring.go 's/if _, err := rand\.Read\(out\); err != nil/if _, err := rand.Read(out[:0]); err != nil/' \
  "./internal/keyring/" 'TestSealOpenRoundTrip|TestMasterWrapUnwrap|TestNoPlaintextPersonalDataAtRest' \
  "V11.3.2 GCM nonce all zero (reused)"
mutant K5 internal/keyring/keyring.go 's/m := hmac\.New\(sha256\.New, k\.key\)/m := hmac.New(sha256.New, nil)/' \
  "./internal/keyring/" 'TestBlindIndex' \
  "blind index not keyed"

# --------------------------------------------------------------- audit --
mutant U1 internal/audit/audit.go 's/if !\(unkeyedHead && headMAC == nil\) && !hmac\.Equal/if false \&\& !hmac.Equal/' \
  "./internal/audit/" 'TestMovedAnchorIsDetected|TestCutTailIsDetected|TestTamperingIsDetected' \
  "V16.4.2 head MAC not checked"
mutant U2 internal/audit/audit.go 's/case !hmac\.Equal\(anchorMAC, k\.AnchorMAC\(tenantID, anchorSeq, anchorHash\)\):/case false:/' \
  "./internal/audit/" 'TestMovedAnchorIsDetected|TestCutTailIsDetected|TestTamperingIsDetected' \
  "V16.4.2 anchor MAC not checked"
mutant U3 internal/audit/audit.go 's/if r\.Seq <= anchorSeq \{/if false {/' \
  "./internal/audit/" 'TestMovedAnchorIsDetected|TestCutTailIsDetected|TestTamperingIsDetected' \
  "V16.4.2 events at or before the anchor ignored"
mutant U4 internal/audit/audit.go 's/\tif cp < len\(cps\) \{\n\t\t\/\/ Checkpoints beyond/\tif false {\n\t\t\/\/ Checkpoints beyond/' \
  "./internal/audit/" 'TestMovedAnchorIsDetected|TestCutTailIsDetected|TestTamperingIsDetected' \
  "V16.4.2 checkpoints beyond the chain's end ignored (cut tail)"
mutant U5 internal/audit/audit.go 's/(\th\.Write\(buf\.Bytes\(\)\)\n\treturn h\.Sum\(nil\))/$1\[:4\]/' \
  "./internal/audit/" 'TestChainHashIsCanonical' \
  "V11.4.3 chain hash cut to 4 bytes"
mutant U6 internal/audit/audit.go 's/\tfield\(\[\]byte\(r\.Details\)\)\n//' \
  "./internal/audit/" 'TestTamperingIsDetected|TestChainHashIsCanonical' \
  "V16.4.2 event details not covered by the chain hash"
mutant U7 internal/audit/audit.go 's/if !bytes\.Equal\(r\.PrevHash, prev\) \{/if false {/' \
  "./internal/audit/" 'TestTamperingIsDetected|TestMovedAnchorIsDetected|TestCutTailIsDetected' \
  "stored prev_hash not compared"

# ----------------------------------------------------------------- rpc --
mutant R1 internal/rpc/server.go 's/\t\t\tNewNoNULInterceptor\(\),\n//' \
  "./internal/rpc/" 'TestNULInATextFieldIsInvalidArgumentAtTheField' \
  "NUL interceptor removed from the chain"
mutant R2 internal/rpc/server.go 's/\t\tcappedGzip\(MaxRequestBytes\),\n//' \
  "./internal/rpc/" 'TestGzipBombIsRefusedAfterInflatingOnlyTheLimit' \
  "gzip inflation cap removed (connect-go's own gzip)"
mutant R3 internal/rpc/compression.go 's/left := c\.max - c\.read/left := c.max<<12 - c.read/' \
  "./internal/rpc/" 'TestGzipBombIsRefusedAfterInflatingOnlyTheLimit|TestCappedGzipReaderStopsAfterLimitPlusOne' \
  "gzip cap 4096 times the limit"
mutant R4 internal/rpc/http.go 's/lines := r\.Header\.Values\("X-Forwarded-For"\)/lines := []string{r.Header.Get("X-Forwarded-For")}/' \
  "./internal/rpc/" 'TestClientIPReadsEveryForwardedForLine|TestClientIPTrustsOnlyConfiguredProxies' \
  "X-Forwarded-For: first line only"
mutant R5 internal/rpc/http.go 's/if !isTrusted\(peer\) \{/if false {/' \
  "./internal/rpc/" 'TestClientIPReadsEveryForwardedForLine|TestClientIPTrustsOnlyConfiguredProxies' \
  "V4.1.3 X-Forwarded-For trusted from any peer"
mutant R6 internal/rpc/http.go 's/(a, ok := parseForwarded\(entry\)\n\t\t\tif !ok \{\n\t\t\t\t)return last/${1}continue/' \
  "./internal/rpc/" 'TestClientIPReadsEveryForwardedForLine|TestClientIPTrustsOnlyConfiguredProxies' \
  "unparsable X-Forwarded-For entry skipped instead of ending the chain"
mutant R7 internal/rpc/http.go 's/max-age=63072000; includeSubDomains/max-age=63072000/' \
  "./internal/rpc/" 'TestSecurityHeadersOnEveryResponse' \
  "V3.4.1 HSTS without includeSubDomains"
mutant R8 internal/rpc/http.go "s/frame-ancestors 'none'; //" \
  "./internal/rpc/" 'TestSecurityHeadersOnEveryResponse' \
  "V3.4.6 CSP frame-ancestors dropped"
mutant R9 internal/rpc/errors.go 's/\t\tsetRetryAfter\(out, ae\.RetryAfter\)\n//' \
  "./internal/rpc/" 'TestRateLimitedAnswersCarryRetryAfter' \
  "429 without Retry-After"
mutant R10 internal/rpc/server.go 's/\t\t\tNewDeadlineInterceptor\(d\.RPCTimeout\),\n//' \
  "./internal/rpc/" 'TestDeadlineInterceptorBoundsEveryUnaryCall|TestServerChainBoundsEveryCall' \
  "server deadline interceptor removed from the chain"
mutant R11 internal/rpc/codec.go 's/if !ok \|\| proto\.Unmarshal\(data, pm\) != nil \{\n\t\treturn errUndecodable/if !ok {\n\t\treturn errUndecodable\n\t}\n\tif err := proto.Unmarshal(data, pm); err != nil {\n\t\treturn errors.New("unmarshal into " + string(pm.ProtoReflect().Descriptor().FullName()) + ": " + err.Error())/' \
  "./internal/rpc/" 'TestUndecodableRequestsNameNoGoTypes' \
  "decode errors name the Go type"
mutant R12 internal/rpc/interceptors.go 's/if err := rule\.Allow\(p\); err != nil \{/if err := error(nil); err != nil {/' \
  "./internal/rpc/ ./internal/organization/ ./internal/app/" 'TestRoleWithout|TestTerminatedTenantIsReadOnly|TestAuthenticatedReadIsOneRoundTrip|TestUnauthenticatedCallsAreRefused' \
  "V8.2.1 access interceptor skips rule.Allow before the handler"
mutant R13 internal/rpc/interceptors.go 's/if serr := a\.settled\(ctx, call\); serr != nil \{/if serr := a.settled(ctx, call); serr != nil \&\& false {/' \
  "./internal/rpc/ ./internal/organization/ ./internal/app/ ./internal/auth/" 'TestRoleWithout|TestTerminatedTenantIsReadOnly|TestAuthenticatedReadIsOneRoundTrip|TestLoginRefreshReuseLogout|TestLockingAnAccountEndsItsLiveSessionsAtOnce|TestOwedSessionCheckIsSettledAfterTheHandler' \
  "owed session check not settled after the handler"
mutant R14 internal/rpc/interceptors.go 's/rule, ok := a\.rules\[procedure\]\n\tif !ok \{/rule, ok := a.rules[procedure]\n\tif !ok \&\& false {/' \
  "./internal/rpc/ ./internal/app/" '.' \
  "an rpc without an access rule is let through"

# -------------------------------------------------------------- access --
mutant X1 internal/access/rules.go 's/if r\.Level >= Read && !p\.HasAny\(r\.Areas\) \{/if false {/' \
  "./internal/access/ ./internal/organization/" 'TestAllowDecidesByLevelKindAreaAndReadOnly|TestRoleWithout' \
  "V8.2.1 area not required"
mutant X2 internal/access/rules.go 's/if r\.Level == Write && p\.ReadOnly \{/if false {/' \
  "./internal/access/ ./internal/organization/" 'TestAllowDecidesByLevelKindAreaAndReadOnly|TestTerminatedTenantIsReadOnly' \
  "terminated (read-only) tenant may write"
mutant X3 internal/access/rules.go 's/if !slices\.Contains\(r\.Kinds, p\.Kind\) \{/if !slices.Contains(r.Kinds, p.Kind) \&\& false {/' \
  "./internal/access/" 'TestAllowDecidesByLevelKindAreaAndReadOnly' \
  "kind of principal not checked"
mutant X4 internal/access/call.go 's/c\.err = c\.rule\.Allow\(c\.p\)/c.err = nil/' \
  "./internal/access/ ./internal/app/ ./internal/organization/" 'TestAuthenticatedReadIsOneRoundTrip|TestRoleWithout|TestTerminatedTenantIsReadOnly' \
  "Settle ignores the fresh principal's areas (lost area acts late)"
mutant X5 internal/access/call.go 's/case fresh == nil:\n\t\tc\.err = apperr\.ErrUnauthenticated/case fresh == nil:\n\t\t_ = apperr.ErrUnauthenticated\n\t\tc.err = nil/' \
  "./internal/access/ ./internal/app/ ./internal/auth/" 'TestAuthenticatedReadIsOneRoundTrip|TestLoginRefreshReuseLogout|TestLockingAnAccountEndsItsLiveSessionsAtOnce' \
  "Settle lets a dead session (no fresh principal) through"

# ------------------------------------------------------------ postgres --
mutant P1 internal/postgres/postgres.go 's/if chk != nil \{(\n\t\t\tsql, args := chk\.Statement\(\)\n\t\t\tif err := call\.Settle\(chk\.Scan\(tx\.QueryRow)/if false \&\& chk != nil {${1}/' \
  "./internal/postgres/ ./internal/app/ ./internal/auth/ ./internal/organization/" 'TestAuthenticatedReadIsOneRoundTrip|TestLoginRefreshReuseLogout|TestLockingAnAccountEndsItsLiveSessionsAtOnce|TestRoleWithout|TestTerminatedTenantIsReadOnly|TestEveryTenantPathRefusesAFailedSessionCheck' \
  "TenantTx does not settle the owed session check before fn (writes)"
mutant P2 internal/postgres/postgres.go 's/(call, chk, err := owed\(ctx, tenantID\)\n\tif err != nil \{\n\t\treturn nil, err\n\t\}\n\tif )chk == nil \{/${1}true || chk == nil {/' \
  "./internal/postgres/ ./internal/app/" 'TestAuthenticatedReadIsOneRoundTrip|TestEveryTenantPathRefusesAFailedSessionCheck' \
  "TenantBatch does not pipeline the session check"
mutant P3 internal/postgres/dbtx.go 's/if err := call\.Settle\(chk\.Scan\(br\.QueryRow\(\)\)\); err != nil \{/if err := call.Settle(chk.Scan(br.QueryRow())); err != nil \&\& false {/' \
  "./internal/postgres/ ./internal/app/ ./internal/auth/ ./internal/organization/" 'TestAuthenticatedReadIsOneRoundTrip|TestLoginRefreshReuseLogout|TestLockingAnAccountEndsItsLiveSessionsAtOnce|TestRoleWithout|TestTerminatedTenantIsReadOnly|TestEveryTenantPathRefusesAFailedSessionCheck' \
  "Tenant DBTX runs the statement although the session check failed"
mutant P4 internal/postgres/postgres.go "s/begin := \"BEGIN; SELECT set_config\('app\.tenant_id', '\" \+ tenantID\.String\(\) \+ \"', true\)\"/begin := \"BEGIN\"/" \
  "./internal/postgres/" 'TestRowLevelSecurity' \
  "TenantTx without the tenant binding"
mutant P5 internal/postgres/postgres.go 's/if errors\.Is\(err, ErrDatabaseUnavailable\) \|\| connectionFailure\(err\) \{/if false {/' \
  "./internal/postgres/" 'TestClassifyOutageAndBackstopCodes|TestPoolOutageAnswersUnavailableBacksOffAndRecovers' \
  "V16.5.2 outage answered Internal, not Unavailable"
mutant P6 internal/postgres/postgres.go 's/codeCharNotInRepertoire   = "22021"/codeCharNotInRepertoire   = "X2021"/' \
  "./internal/postgres/" 'TestClassifyOutageAndBackstopCodes' \
  "NUL backstop: 22021 not InvalidArgument"
mutant P7 internal/postgres/outage.go 's/if b\.probing \|\| b\.now\(\)\.Before\(b\.until\) \{/if false {/' \
  "./internal/postgres/" 'TestDialBreakerBacksOffExponentiallyWithOneProbe|TestPoolOutageAnswersUnavailableBacksOffAndRecovers' \
  "dial circuit breaker never opens (reconnect storm)"
mutant P8 internal/postgres/list.go 's/b\.cond\(Where\("tenant_id = \?", tenantID\)\)/b.cond(Where("? IS NOT NULL", tenantID))/' \
  "./internal/organization/" 'TestTenantIsolationThroughTheAPI' \
  "Isolation 1: postgres.List without the tenant filter"
mutant P9 internal/postgres/migrate.go 's/AND \(r\.rolsuper OR r\.rolbypassrls OR EXISTS \(/AND (r.rolsuper OR EXISTS (/' \
  "./internal/postgres/" 'TestRowLevelSecurity|TestCheckAppRoleRefusesMembersOfPrivilegedRoles' \
  "CheckAppRole accepts a BYPASSRLS role"

# -------------------------------------------------------------- paging --
mutant G1 internal/paging/paging.go 's/\[\]byte\(scope\)/nil/g' \
  "./internal/paging/ ./internal/organization/" 'TestTokenRoundTripAndRefusals|TestPageTokensOnlyOpenForTheirList' \
  "page token not bound to its list, order and filters"
mutant G2 internal/postgres/list.go 's/scope := tenantID\.String\(\) \+ "\|" \+ l\.Scope/scope := l.Scope/' \
  "./internal/organization/ ./internal/paging/" 'TestPageTokensOnlyOpenForTheirList|TestTenantIsolationThroughTheAPI' \
  "page token not bound to the tenant"
mutant G3 internal/paging/paging.go 's/\tcase r\.Size > MaxSize:\n\t\treturn MaxSize\n//' \
  "./internal/paging/ ./internal/organization/" 'TestLimitDefaultsAndCaps|TestListsPageByKeysetInEveryOrder' \
  "page size not capped at 200"

# ----------------------------------------------------------- employees --
priv='TestDataSubjectExportHoldsEverythingAboutThem|TestEraseNeedsTheConfirmationAndKeepsOnlyTheID|TestLegalHoldAndReferencesBlockDeleteAndErase|TestAPIKeyReadsAreLoggedAndFailedReadsAreNot|TestPrivacyRPCsKeepTheCertificateAccessScope|TestNameTokensCarryNoPosition'
mutant E1 internal/employees/privacy.go 's/if NormalizePersonnelNumber\(confirm\) != /if false \&\& NormalizePersonnelNumber(confirm) != /' \
  "./internal/employees/" "$priv" \
  "erasure without the typed personnel number"
mutant E2 internal/employees/store.go 's/\tif held \{/\tif false \&\& held {/' \
  "./internal/employees/" "$priv" \
  "deletion and erasure ignore a legal hold"
mutant E3 internal/employees/store.go 's/\tif len\(refs\) > 0 \{/\tif false \&\& len(refs) > 0 {/' \
  "./internal/employees/" "$priv" \
  "deletion and erasure ignore what references the employee"
mutant E4 internal/employees/privacy.go 's/AND target_type = \$2 AND target_id = \$3/AND target_type = \$2 AND \$3 <> \x27\x27/g' \
  "./internal/employees/" "$priv" \
  "the Art. 15 document lists other employees' audit events"
mutant E5 internal/employees/privacy.go 's/\t\tif err := tx\.Record\(ActionDataExported, target\(id\), nil\); err != nil \{\n\t\t\treturn err\n\t\t\}\n//' \
  "./internal/employees/" "$priv" \
  "the Art. 15 export is not recorded"
mutant E6 internal/employees/search.go 's/\tslices\.Sort\(out\)/\tout = slices.Clip(out)/' \
  "./internal/employees/" "$priv" \
  "name tokens stored in generation order (positions reveal prefix lengths)"

echo
echo "mutation score: $killed killed of $((killed + survived)) valid mutants ($survived survived, $invalid invalid or not applied)"
for s in "${survivors[@]}"; do
  echo "  survived: $s"
done
[ "$invalid" = 0 ]
