#!/usr/bin/env bash
# Runs the whole OrleansSync test suite on a fresh Debian machine:
#   1. makes sure a PostgreSQL server is installed, running and has the test role
#      (skipped when ORLEANSSYNC_TEST_PG already names a server),
#   2. builds the solution in Release and runs every test project,
#   3. prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
results="$repo/TestResults"
pg_role="orleanssync"
pg_password="orleanssync"
pg_port="${ORLEANSSYNC_PG_PORT:-5432}"

log() { printf '[test] %s\n' "$*" >&2; }

# ensure_postgres (installs, starts, creates the role) is shared with deploy/local-cluster.sh.
source "$repo/scripts/lib/postgres.sh"

if [ -z "${ORLEANSSYNC_TEST_PG:-}" ]; then
  ensure_postgres
  export ORLEANSSYNC_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=$pg_role;Password=$pg_password;Database=postgres"
fi
log "PostgreSQL for tests: $(printf '%s' "$ORLEANSSYNC_TEST_PG" | sed 's/Password=[^;]*/Password=***/')"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf "$results"

log "building (Release)"
dotnet build OrleansSync.sln -c Release -nologo -v quiet

# --- deploy manifest validation: npm packages for deploy/validation (Tests/OrleansSync.Tests/Deploy runs it;
# without node/npm those tests fail and say so) ---
if command -v npm >/dev/null 2>&1; then
  log "installing deploy/validation npm packages (npm ci)"
  npm ci --prefix deploy/validation --no-audit --no-fund --loglevel=error
else
  log "npm is not on PATH: the deploy manifest tests will fail (install Node.js 20+ and npm)"
fi
# --- end deploy manifest validation ---

log "running tests"
set +e
dotnet test OrleansSync.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" \
  --blame-hang-timeout 6m
test_exit=$?
set -e

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); a=$(get aborted)
  passed=$((passed + p))
  failed=$((failed + f + e + t + a))
  skipped=$((skipped + total - executed))
done

echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$test_exit" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
