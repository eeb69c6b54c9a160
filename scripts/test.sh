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

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      log "PostgreSQL is not installed and this is not root: install the 'postgresql' package or set ORLEANSSYNC_TEST_PG."
      exit 1
    fi
    log "installing PostgreSQL (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi

  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$version main"; then
    log "creating PostgreSQL $version cluster 'main'"
    pg_createcluster "$version" main --port "$pg_port" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
  pg_port="$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')"

  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p "$pg_port" || { log "PostgreSQL did not become ready on port $pg_port"; exit 1; }

  # Tests create and drop one database each, so the role needs CREATEDB; SUPERUSER lets them
  # terminate leftover sessions of databases they drop.
  as_postgres psql -q -p "$pg_port" -v ON_ERROR_STOP=1 -c \
    "DO \$\$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$pg_role') THEN
         CREATE ROLE $pg_role LOGIN SUPERUSER PASSWORD '$pg_password';
       ELSE
         ALTER ROLE $pg_role LOGIN SUPERUSER PASSWORD '$pg_password';
       END IF;
     END \$\$;" >/dev/null
  export ORLEANSSYNC_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=$pg_role;Password=$pg_password;Database=postgres"
}

if [ -z "${ORLEANSSYNC_TEST_PG:-}" ]; then
  ensure_postgres
fi
log "PostgreSQL for tests: $(printf '%s' "$ORLEANSSYNC_TEST_PG" | sed 's/Password=[^;]*/Password=***/')"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf "$results"

log "building (Release)"
dotnet build OrleansSync.sln -c Release -nologo -v quiet

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
