#!/usr/bin/env bash
# Runs every Go fuzz target (func FuzzXxx in backend/) for FUZZTIME each
# (default 8s): new fuzz targets are picked up without touching the Makefile.
# A crash writes its input under testdata/fuzz/ and fails the run.
#
# Go 1.26's fuzz coordinator can report a bare "context deadline exceeded"
# when -fuzztime expires while a worker is mid-execution on a loaded machine
# (golang/go#75804, fixed in Go 1.27) — no input is found or written. Such a
# run counts as a flake only if its log shows that fuzzing ran (the
# coordinator reported executions after the baseline); a deadline without
# executions is retried once, and a target that again executes nothing fails:
# a target that never completes a fuzzing run must not pass unfuzzed.
# Anything else (a written reproducer, a panic, a failed assertion) fails at
# once. The seed corpus of every target also runs deterministically in
# `go test` (make test-go).
set -euo pipefail
cd "$(dirname "$0")/../backend"
fuzztime=${FUZZTIME:-8s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
flakes=0
is_deadline_flake() {
  grep -q 'context deadline exceeded' "$log" &&
    ! grep -qE 'Failing input written|panic:' "$log" &&
    ! grep -qE '^\s+[A-Za-z0-9_]+\.go:[0-9]+: ' "$log"
}
# executions prints the largest "execs: N" the coordinator reported after it
# started fuzzing (0 when it never got that far).
executions() {
  if ! grep -q 'now fuzzing with' "$log"; then echo 0; return; fi
  { grep -oE 'execs: [0-9]+' "$log" || true; } | awk '{ if ($2 > max) max = $2 } END { print max + 0 }'
}
while IFS=: read -r file decl; do
  name=${decl#func }
  pkg=./$(dirname "${file#./}")
  echo "fuzz $pkg $name ($fuzztime)"
  for attempt in 1 2; do
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >"$log" 2>&1; then
      break
    fi
    if is_deadline_flake; then
      execs=$(executions)
      if [ "$execs" -gt 0 ]; then
        echo "  fuzz coordinator deadline race (golang/go#75804) after $execs executions, no input found: counted as a flake"
        flakes=$((flakes + 1))
        break
      fi
      if [ "$attempt" = 1 ]; then
        echo "  deadline before any fuzzing execution: retrying once"
        continue
      fi
      cat "$log"
      echo "FAIL: $name never completed a fuzzing run (deadline twice, no executions)"
      exit 1
    fi
    cat "$log"
    exit 1
  done
done < <(grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sort)
echo "fuzzing done ($flakes coordinator flakes)"
