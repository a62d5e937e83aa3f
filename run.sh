#!/usr/bin/env bash
# Runs MutualAssistance on this machine: a local PostgreSQL (created on first use under .local/), the
# database migrations, N Orleans silos that form one cluster, and the API on http://127.0.0.1:5080.
# Ctrl-C or SIGTERM stops all of it. With ConnectionStrings__Postgres set, that database is used instead.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

usage() {
  cat <<'TXT'
Usage: ./run.sh [--silos N] [--no-build] [--release]
  --silos N    start N silos that form one cluster (default 1)
  --no-build   run what is already built instead of building first
  --release    build and run the Release configuration (for measurements; default Debug)
Environment (all optional):
  ConnectionStrings__Postgres   use this PostgreSQL database; otherwise a local one under .local/ is created and started
  MA_STATE_DIR                  where the local database and the logs live (default ./.local)
  MA_API_PORT (5080)  MA_PG_PORT (55432)  MA_SILO_PORT (11111)  MA_GATEWAY_PORT (30000)  MA_SILO_HTTP_PORT (8080)
                                ports; silo i uses base+i for its silo, gateway and health ports
TXT
}

silos=1
build=1
configuration=Debug
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="${2:?--silos needs a number}"; shift 2 ;;
    --silos=*) silos="${1#--silos=}"; shift ;;
    --no-build) build=0; shift ;;
    --release) configuration=Release; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$silos" in ''|*[!0-9]*|0) echo "run.sh: --silos takes a whole number of at least 1" >&2; exit 2 ;; esac

state="${MA_STATE_DIR:-$root/.local}"
api_port="${MA_API_PORT:-5080}"
pg_port="${MA_PG_PORT:-55432}"
silo_port="${MA_SILO_PORT:-11111}"
gateway_port="${MA_GATEWAY_PORT:-30000}"
silo_http_port="${MA_SILO_HTTP_PORT:-8080}"
logs="$state/logs"
mkdir -p "$logs"

say() { printf 'run.sh: %s\n' "$*"; }

# --- PostgreSQL ----------------------------------------------------------------------------------
. "$root/.ci/prerequisites.sh"
ensure_postgres
ensure_curl

pg_data="$state/postgres"
pg_started=0
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  pg_bin=$(postgres_bin_dir)
  if [ ! -f "$pg_data/PG_VERSION" ]; then
    say "creating a local PostgreSQL in $pg_data"
    mkdir -p "$pg_data"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$state" "$pg_data"
    as_postgres "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-instructions >"$logs/initdb.log"
  fi
  if as_postgres "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; then
    say "the local PostgreSQL is already running; using it"
  else
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
      -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c max_connections=250" start >/dev/null
    pg_started=1
  fi
  # Each process pools at most 50 connections, so that silos, the API and tools fit in max_connections.
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=mutual_assistance;Maximum Pool Size=50"
fi

pids=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$pg_started" = 1 ]; then
    as_postgres "$(postgres_bin_dir)/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  say "stopped"
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

# --- build and migrate ---------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  say "building"
  dotnet build "$root/MutualAssistance.sln" -c "$configuration" -nologo -v quiet >"$logs/build.log" 2>&1 \
    || { tail -n 40 "$logs/build.log" >&2; exit 1; }
fi
silo_dll="$root/silo/MutualAssistance.Silo/bin/$configuration/net10.0/MutualAssistance.Silo.dll"
api_dll="$root/api/MutualAssistance.Api/bin/$configuration/net10.0/MutualAssistance.Api.dll"
[ -f "$silo_dll" ] && [ -f "$api_dll" ] || { echo "run.sh: not built yet; run without --no-build" >&2; exit 1; }

export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
say "applying database migrations"
dotnet "$silo_dll" migrate >"$logs/migrate.log" 2>&1 || { cat "$logs/migrate.log" >&2; exit 1; }

# --- silos and API -------------------------------------------------------------------------------
wait_ready() { # name url pid log
  local deadline=$((SECONDS + 90)) began=$(date +%s%N)
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null; then echo "run.sh: $1 exited; last lines of $4:" >&2; tail -n 30 "$4" >&2; exit 1; fi
    if [ $SECONDS -gt $deadline ]; then echo "run.sh: $1 not ready after 90 s; see $4" >&2; exit 1; fi
    sleep 0.2
  done
  say "$1 ready in $(( ($(date +%s%N) - began) / 1000000 )) ms"
}

for ((i = 0; i < silos; i++)); do
  (cd "$root/silo/MutualAssistance.Silo" && exec env \
    Orleans__SiloPort=$((silo_port + i)) Orleans__GatewayPort=$((gateway_port + i)) \
    Orleans__AdvertisedIPAddress=127.0.0.1 Urls="http://127.0.0.1:$((silo_http_port + i))" \
    dotnet "$silo_dll" >"$logs/silo-$i.log" 2>&1) &
  pids+=($!)
done
for ((i = 0; i < silos; i++)); do
  wait_ready "silo $i" "http://127.0.0.1:$((silo_http_port + i))/health/ready" "${pids[$i]}" "$logs/silo-$i.log"
done

(cd "$root/api/MutualAssistance.Api" && exec env Urls="http://127.0.0.1:$api_port" dotnet "$api_dll" >"$logs/api.log" 2>&1) &
pids+=($!)
wait_ready "API" "http://127.0.0.1:$api_port/health/ready" "${pids[-1]}" "$logs/api.log"

say "ready"
echo "  API          http://127.0.0.1:$api_port   (OpenAPI: /openapi/v1.json, health: /health/live, /health/ready)"
for ((i = 0; i < silos; i++)); do
  echo "  silo $i       silo port $((silo_port + i)), gateway $((gateway_port + i)), health http://127.0.0.1:$((silo_http_port + i))/health/ready"
done
echo "  PostgreSQL   ${ConnectionStrings__Postgres}"
echo "  logs         $logs"
echo "  stop         Ctrl-C (or SIGTERM to this script, pid $$)"

# Wait until a child dies or a signal arrives; either way stop everything.
while :; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then say "a process (pid $pid) exited on its own; see $logs"; exit 1; fi
  done
  sleep 1 &
  wait $! || true
done
