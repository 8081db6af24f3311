#!/usr/bin/env bash
# Runs every test project (tests/*/*.Tests.csproj) against the existing Release build and ends with
# one line "N passed, N failed" summing all of them. Exits non-zero when a test failed, when a test
# host crashed, or when no test ran.
#   infra/run-tests.sh [--filter EXPR] [project-name-substring]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

filter=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter="$2"; shift 2 ;;
    *) only="$1"; shift ;;
  esac
done

results="$root/tests/TestResults"
rm -rf "$results"
mkdir -p "$results"

total_passed=0
total_failed=0
crashed=()
for proj in tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  [ -n "$only" ] && [[ "$name" != *"$only"* ]] && continue
  echo "=== $name"
  args=(test "$proj" -c Release --no-build --nologo --verbosity minimal
        --logger "trx;LogFileName=$name.trx" --results-directory "$results")
  [ -n "$filter" ] && args+=(--filter "$filter")
  dotnet "${args[@]}"
  code=$?
  trx="$results/$name.trx"
  passed=0
  failed=0
  if [ -f "$trx" ]; then
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
    passed="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
    failed="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
    errors="$(sed -E 's/.* error="([0-9]+)".*/\1/' <<<"$counters")"
    timeouts="$(sed -E 's/.* timeout="([0-9]+)".*/\1/' <<<"$counters")"
    aborted="$(sed -E 's/.* aborted="([0-9]+)".*/\1/' <<<"$counters")"
    failed=$((failed + errors + timeouts + aborted))
  fi
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # The host died or the run broke without a failing test to show for it: count it as a failure.
    crashed+=("$name (dotnet test exit $code)")
    failed=$((failed + 1))
  fi
  echo "--- $name: $passed passed, $failed failed"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
done

[ ${#crashed[@]} -gt 0 ] && printf 'test run broke: %s\n' "${crashed[@]}"
echo "$total_passed passed, $total_failed failed"
if [ "$total_failed" -ne 0 ]; then exit 1; fi
if [ "$total_passed" -eq 0 ]; then echo "no test ran"; exit 1; fi
exit 0
