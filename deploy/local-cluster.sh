#!/usr/bin/env bash
# Three OrleansSync silos on one machine in the PostgreSQL profile, as real processes (no containers).
#
#   deploy/local-cluster.sh up           PostgreSQL up, database created, schema migrated, silos 0-2 started,
#                                        returns once every /healthz answers 200 (starts only silos not running)
#   deploy/local-cluster.sh status       each silo's pid, ports and /healthz; exit 1 unless all are healthy
#   deploy/local-cluster.sh kill N       SIGKILL silo N (0-2): a crash, no shutdown code runs
#   deploy/local-cluster.sh restart N    stop silo N (SIGTERM) if it runs, start it again, wait until healthy
#   deploy/local-cluster.sh down         SIGTERM every silo and wait for them (PostgreSQL keeps running)
#
# Silo N listens on HTTP 127.0.0.1:(5000+N), silo port 11111+N, gateway 30000+N. Pids and logs are in
# .local-cluster/ (silo-N.pid, silo-N.log). Silos run from the Release build (dotnet build -c Release).
# Environment: ORLEANSSYNC_LOCAL_PG (an Npgsql connection string: use that server and database instead of
# installing one), ORLEANSSYNC_LOCAL_STATE (state folder), ORLEANSSYNC_LOCAL_HTTP_PORT / _SILO_PORT /
# _GATEWAY_PORT (first ports), ORLEANSSYNC_LOCAL_DB (database name, default orleanssync),
# ORLEANSSYNC_LOCAL_SILO_DLL (another build of OrleansSync.Silo.dll).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${ORLEANSSYNC_LOCAL_STATE:-$repo/.local-cluster}"
silo_dll="${ORLEANSSYNC_LOCAL_SILO_DLL:-$repo/Silo/bin/Release/net10.0/OrleansSync.Silo.dll}"
silo_count=3
health_deadline_s=90
stop_deadline_s=40

log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Settings chosen at 'up' are kept in the state folder, so later commands reach the same silos and database.
load_settings() {
  if [ -f "$state/cluster.env" ]; then
    # shellcheck source=/dev/null
    source "$state/cluster.env"
  else
    http_base="${ORLEANSSYNC_LOCAL_HTTP_PORT:-5000}"
    silo_base="${ORLEANSSYNC_LOCAL_SILO_PORT:-11111}"
    gateway_base="${ORLEANSSYNC_LOCAL_GATEWAY_PORT:-30000}"
    connection_string="${ORLEANSSYNC_LOCAL_PG:-}"
  fi
}

save_settings() {
  mkdir -p "$state"
  {
    printf 'http_base=%q\nsilo_base=%q\ngateway_base=%q\n' "$http_base" "$silo_base" "$gateway_base"
    printf 'connection_string=%q\n' "$connection_string"
  } >"$state/cluster.env"
}

prepare_database() {
  if [ -n "$connection_string" ]; then
    return
  fi
  # shellcheck source=../scripts/lib/postgres.sh
  source "$repo/scripts/lib/postgres.sh"
  ensure_postgres
  local database="${ORLEANSSYNC_LOCAL_DB:-orleanssync}"
  if ! PGPASSWORD="$pg_password" psql -h 127.0.0.1 -p "$pg_port" -U "$pg_role" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -qx 1; then
    log "creating database $database"
    PGPASSWORD="$pg_password" psql -q -h 127.0.0.1 -p "$pg_port" -U "$pg_role" -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$database\""
  fi
  connection_string="Host=127.0.0.1;Port=$pg_port;Username=$pg_role;Password=$pg_password;Database=$database"
}

# Every silo and the migration run with the same settings, from the build folder (appsettings.json).
enter_silo_environment() {
  cd "$(dirname "$silo_dll")"
  export OrleansSync__Storage=Postgres OrleansSync__ConnectionString="$connection_string" DOTNET_ENVIRONMENT=Production
}

http_port() { echo $((http_base + $1)); }
pid_of() { cat "$state/silo-$1.pid" 2>/dev/null || true; }
running() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }
health() { curl -s -o /dev/null -m 3 -w '%{http_code}' "http://127.0.0.1:$(http_port "$1")/healthz" || true; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_index() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && [ "$1" -lt "$silo_count" ] || die "silo number must be 0-$((silo_count - 1)), not '${1:-}'"
}

start_silo() {
  local n=$1 port
  for port in "$(http_port "$n")" $((silo_base + n)) $((gateway_base + n)); do
    port_taken "$port" && die "port $port is already in use: stop what listens there (a silo of another run?) first"
  done
  log "starting silo $n (http $(http_port "$n"), silo $((silo_base + n)), gateway $((gateway_base + n)))"
  # Appended, so a restarted silo's log still shows how the previous process ended.
  printf '=== silo %s started %s ===\n' "$n" "$(date -u +%FT%TZ)" >>"$state/silo-$n.log"
  # setsid: the silo outlives this script and a Ctrl+C in the terminal that ran it. exec keeps $! the silo's pid.
  (
    enter_silo_environment
    exec setsid dotnet "$silo_dll" --urls "http://127.0.0.1:$(http_port "$n")" \
      --OrleansSync:SiloPort=$((silo_base + n)) --OrleansSync:GatewayPort=$((gateway_base + n)) \
      >>"$state/silo-$n.log" 2>&1 </dev/null
  ) &
  echo $! >"$state/silo-$n.pid"
}

wait_healthy() {
  local deadline=$((SECONDS + health_deadline_s)) n
  for n in "$@"; do
    until [ "$(health "$n")" = 200 ]; do
      if ! running "$n"; then
        # The log since this start, where the reason is (a one-line start-up failure or a stack trace).
        awk -v m="=== silo $n started" 'index($0, m) == 1 { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' \
          "$state/silo-$n.log" | head -n 80 >&2 || true
        die "silo $n exited before it was healthy (log: $state/silo-$n.log)"
      fi
      [ "$SECONDS" -lt "$deadline" ] || die "silo $n not healthy within ${health_deadline_s}s (log: $state/silo-$n.log)"
      sleep 0.5
    done
    log "silo $n healthy: http://127.0.0.1:$(http_port "$n")"
  done
}

stop_silos() {
  local n pid deadline=$((SECONDS + stop_deadline_s))
  for n in "$@"; do
    running "$n" && kill -TERM "$(pid_of "$n")"
  done
  for n in "$@"; do
    while running "$n" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if running "$n"; then
      pid="$(pid_of "$n")"
      log "silo $n did not stop within ${stop_deadline_s}s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$state/silo-$n.pid"
  done
}

all_silos() { seq 0 $((silo_count - 1)); }

cmd_up() {
  [ -f "$silo_dll" ] || { log "building the Silo (Release)"; dotnet build "$repo/Silo/OrleansSync.Silo.csproj" -c Release -nologo -v quiet; }
  prepare_database
  save_settings
  log "migrating the schema"
  (enter_silo_environment && exec dotnet "$silo_dll" migrate)
  local started=() n
  for n in $(all_silos); do
    if running "$n"; then log "silo $n already runs (pid $(pid_of "$n"))"; else start_silo "$n"; started+=("$n"); fi
  done
  wait_healthy "${started[@]}"
  cmd_status
}

cmd_status() {
  local n healthy=0 code
  for n in $(all_silos); do
    if running "$n"; then
      code="$(health "$n")"
      [ "$code" = 200 ] && healthy=$((healthy + 1))
      printf 'silo %s  pid %-7s  http://127.0.0.1:%s  silo %s  gateway %s  /healthz %s\n' \
        "$n" "$(pid_of "$n")" "$(http_port "$n")" $((silo_base + n)) $((gateway_base + n)) "$code"
    else
      printf 'silo %s  not running\n' "$n"
    fi
  done
  [ "$healthy" -eq "$silo_count" ]
}

cmd_kill() {
  check_index "${1:-}"
  running "$1" || die "silo $1 is not running"
  log "SIGKILL silo $1 (pid $(pid_of "$1"))"
  kill -KILL "$(pid_of "$1")"
  while running "$1"; do sleep 0.1; done
  rm -f "$state/silo-$1.pid"
}

cmd_restart() {
  check_index "${1:-}"
  [ -f "$state/cluster.env" ] || die "no cluster here: run '$0 up' first"
  stop_silos "$1"
  start_silo "$1"
  wait_healthy "$1"
}

cmd_down() {
  stop_silos $(all_silos)
  log "silos stopped (PostgreSQL keeps running; state in $state)"
}

load_settings
case "${1:-}" in
  up) cmd_up ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  restart) cmd_restart "${2:-}" ;;
  down) cmd_down ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
