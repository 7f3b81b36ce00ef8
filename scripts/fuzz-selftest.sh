#!/usr/bin/env bash
# Checks scripts/fuzz.sh's verdicts without fuzzing: a stand-in `go` first on
# PATH prints what `go test -fuzz` prints in each case and exits as it does.
#   pass                     → fuzz.sh passes
#   deadline after fuzzing   → passes, counted as a coordinator flake
#   deadline, no executions  → fails (a target that never fuzzed must not pass)
#   deadline once, then pass → passes
#   failing input            → fails
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
cat >"$fake/go" <<'FAKE'
#!/usr/bin/env bash
# Counts calls per target so that "once" cases differ between attempts.
n=$(cat "$FAKE_DIR/calls" 2>/dev/null || echo 0); echo $((n + 1)) >"$FAKE_DIR/calls"
baseline='fuzz: elapsed: 0s, gathering baseline coverage: 3/3 completed, now fuzzing with 2 workers'
deadline=$'--- FAIL: FuzzX (8.02s)\n    context deadline exceeded\nFAIL'
case "$FAKE_MODE" in
  pass) echo "$baseline"; echo 'fuzz: elapsed: 8s, execs: 5000 (625/sec), new interesting: 0 (total: 3)'; echo PASS ;;
  deadline-after-fuzzing) echo "$baseline"; echo 'fuzz: elapsed: 3s, execs: 1200 (400/sec), new interesting: 0 (total: 3)'; echo "$deadline"; exit 1 ;;
  deadline-no-execs) echo 'fuzz: elapsed: 0s, gathering baseline coverage: 0/3 completed'; echo "$deadline"; exit 1 ;;
  deadline-once) if [ $((n % 2)) = 0 ]; then echo "$deadline"; exit 1; fi; echo "$baseline"; echo PASS ;;
  failing-input) echo "$baseline"; echo '    Failing input written to testdata/fuzz/FuzzX/abc'; echo FAIL; exit 1 ;;
esac
FAKE
chmod +x "$fake/go"
fails=0
check() { # mode, want (pass|fail)
  rm -f "$fake/calls"
  if FAKE_DIR=$fake FAKE_MODE=$1 PATH="$fake:$PATH" "$here/fuzz.sh" >"$fake/out" 2>&1; then got=pass; else got=fail; fi
  if [ "$got" = "$2" ]; then echo "ok   $1: $got"; else echo "FAIL $1: $got, want $2"; cat "$fake/out"; fails=1; fi
}
check pass pass
check deadline-after-fuzzing pass
check deadline-no-execs fail
check deadline-once pass
check failing-input fail
exit $fails
