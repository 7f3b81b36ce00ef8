#!/usr/bin/env bash
# Runs every Go fuzz target (func FuzzXxx in backend/) for FUZZTIME each
# (default 8s): new fuzz targets are picked up without touching the Makefile.
# A crash leaves its input under testdata/fuzz/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../backend"
fuzztime=${FUZZTIME:-8s}
grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]+' . | sort | while IFS=: read -r file decl; do
  name=${decl#func }
  pkg=./$(dirname "${file#./}")
  echo "fuzz $pkg $name ($fuzztime)"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" >/tmp/zeugo-fuzz.log 2>&1 || { cat /tmp/zeugo-fuzz.log; exit 1; }
done
