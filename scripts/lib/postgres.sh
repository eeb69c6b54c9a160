# Sourced by scripts/test.sh and deploy/local-cluster.sh: makes sure a PostgreSQL server is installed, running
# on this machine and has the OrleansSync role. The caller defines log() and may preset pg_role, pg_password
# and pg_port; ensure_postgres sets pg_port to the port the server really listens on.

: "${pg_role:=orleanssync}"
: "${pg_password:=orleanssync}"
: "${pg_port:=${ORLEANSSYNC_PG_PORT:-5432}}"

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      log "PostgreSQL is not installed and this is not root: install the 'postgresql' package, or name a server with ORLEANSSYNC_TEST_PG (tests) or ORLEANSSYNC_LOCAL_PG (local cluster)."
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

  # Every silo and test cluster keeps its own connection pool, and test classes run in parallel:
  # the default 100 connections leave too little headroom on a busy run.
  local max_connections
  max_connections="$(as_postgres psql -qtA -p "$pg_port" -c "SHOW max_connections")"
  if [ "${max_connections:-0}" -lt 300 ]; then
    log "raising PostgreSQL max_connections from $max_connections to 300 (restart)"
    as_postgres psql -q -p "$pg_port" -c "ALTER SYSTEM SET max_connections = 300" >/dev/null
    pg_ctlcluster "$version" main restart
    for _ in $(seq 1 60); do
      pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
      sleep 0.5
    done
  fi

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
}
