#!/usr/bin/env bash
# The project's test command: every package's tests with the race detector,
# then each fuzz target for a number of executions beyond its seed corpus.
# FUZZTIME=0 skips the fuzzing. The budget is a count (Nx), not a duration:
# Go 1.26's fuzz coordinator can fail a target with a bare "context
# deadline exceeded" when a duration runs out on a loaded machine
# (go.dev/issue/75804, fixed in Go 1.27); a count has no deadline to race.
set -euo pipefail
cd "$(dirname "$0")/.."
# Tests never leave the machine: without credentials the AWS SDK's default
# chain would ask the EC2 instance metadata address (169.254.169.254).
export AWS_EC2_METADATA_DISABLED=true

go test -race -count=1 ./...

fuzztime=${FUZZTIME:-10000x}
if [ "$fuzztime" != "0" ]; then
  for pkg in $(go list ./...); do
    dir=$(go list -f '{{.Dir}}' "$pkg")
    for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
      echo "fuzz $pkg $target ($fuzztime)"
      go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" > /tmp/gisa-fuzz.log 2>&1 || { cat /tmp/gisa-fuzz.log; exit 1; }
    done
  done
fi
