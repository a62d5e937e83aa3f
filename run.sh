#!/usr/bin/env bash
# Runs MutualAssistance on this machine: a local PostgreSQL (created on first use under .local/), the
# database migrations, N Orleans silos that form one cluster, and the API on http://127.0.0.1:5080 — served
# by the silos themselves (co-hosted, the default: no second hop) or, with --separate-api, by its own process;
# and the development identity provider on http://127.0.0.1:5090, whose seeded users sign in without a password.
# Ctrl-C or SIGTERM stops all of it. With ConnectionStrings__Postgres set, that database is used instead.
# A silo that dies is reported and started again while the others keep serving (left down if it dies before
# it was ready; SIGUSR1 starts the silos that are down); a separate API, the identity provider or the local PostgreSQL dying stops all.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

usage() {
  cat <<'TXT'
Usage: ./run.sh [--silos N] [--separate-api] [--federation] [--no-build] [--release] [--no-restart]
  --silos N      start N silos that form one cluster (default 1)
  --federation   start two nodes instead, each its own cluster on its own database, exchanging shared requests:
                 node KZ (Kazakhstan's authorities, API on MA_API_PORT, 5080) and node CN (China's, API on
                 MA_API_PORT+100, 5180); their signing keys are made on the first run under MA_STATE_DIR/federation
                 and each trusts the other's (README "Federation")
  --separate-api run the API in its own process, an Orleans client of the silos' gateways (default: each silo
                 serves the API itself, silo i on MA_API_PORT+i; README "Hosting shape")
  --no-build     run what is already built instead of building first
  --release      build and run the Release configuration (for measurements; default Debug)
  --no-restart   leave a silo that dies down (the others keep serving); `kill -USR1 <run.sh pid>` starts it again
A silo that dies is reported and, unless --no-restart, started again; one that dies before it was ready is
left down. A separate API, the identity provider or the local PostgreSQL dying stops everything.
Environment (all optional):
  ConnectionStrings__Postgres   use this PostgreSQL database; otherwise a local one under .local/ is created and started
  MA_STATE_DIR                  where the local database and the logs live (default ./.local)
  MA_API_PORT (5080)  MA_PG_PORT (55432)  MA_SILO_PORT (11111)  MA_GATEWAY_PORT (30000)  MA_SILO_HTTP_PORT (8080)
  MA_IDP_PORT (5090)  MA_MAIL_PORT (5085)  MA_SMTP_PORT (2525)  MA_EXCHANGE_PORT (5070)
  MA_EXCHANGE_URL_KZ, MA_EXCHANGE_URL_CN
                                with --federation: node i listens for its peer's envelopes on MA_EXCHANGE_PORT+i (its
                                own port, apart from its API), and reaches node X at MA_EXCHANGE_URL_X (default
                                http://127.0.0.1:<X's exchange port>/), so that a proxy can be put between the nodes
                                ports; silo i uses base+i for its silo, gateway and HTTP ports. Co-hosted, silo i's
                                HTTP port (API and health) is MA_API_PORT+i; with --separate-api it is
                                MA_SILO_HTTP_PORT+i (health only) and the API listens on MA_API_PORT. The development
                                identity provider listens on MA_IDP_PORT (sign-in page /signin; README "Sign-in
                                (development identity provider)"); its signing key is kept in MA_STATE_DIR/identity-provider.
                                Notification mail goes to a local smtp4dev (SMTP on MA_SMTP_PORT, its inbox on MA_MAIL_PORT)
TXT
}

silos=1
build=1
restart=1
configuration=Debug
hosting=co-hosted
federation=0
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="${2:?--silos needs a number}"; shift 2 ;;
    --silos=*) silos="${1#--silos=}"; shift ;;
    --separate-api) hosting=separate; shift ;;
    --federation) federation=1; shift ;;
    --no-build) build=0; shift ;;
    --release) configuration=Release; shift ;;
    --no-restart) restart=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case "$silos" in ''|*[!0-9]*|0) echo "run.sh: --silos takes a whole number of at least 1" >&2; exit 2 ;; esac
if [ "$federation" = 1 ]; then
  if [ "$silos" != 1 ] || [ "$hosting" != co-hosted ]; then
    echo "run.sh: --federation runs one co-hosted silo per node; it does not combine with --silos or --separate-api" >&2; exit 2
  fi
  silos=2   # silo 0 is node KZ, silo 1 node CN
fi

state="${MA_STATE_DIR:-$root/.local}"
api_port="${MA_API_PORT:-5080}"
pg_port="${MA_PG_PORT:-55432}"
silo_port="${MA_SILO_PORT:-11111}"
gateway_port="${MA_GATEWAY_PORT:-30000}"
silo_http_port="${MA_SILO_HTTP_PORT:-8080}"
idp_port="${MA_IDP_PORT:-5090}"
mail_port="${MA_MAIL_PORT:-5085}"
smtp_port="${MA_SMTP_PORT:-2525}"
exchange_port="${MA_EXCHANGE_PORT:-5070}"
logs="$state/logs"
mkdir -p "$logs"

say() { printf 'run.sh: %s\n' "$*"; }

# --- PostgreSQL ----------------------------------------------------------------------------------
. "$root/.ci/prerequisites.sh"
ensure_postgres
ensure_icu
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

silo_pids=()   # per silo: its pid, or empty while it is down
silo_ready=()   # per silo: 1 once its health endpoint answered since its last start
api_pid=
idp_pid=
mail_pid=
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  say "stopping"
  local pid
  for pid in "${silo_pids[@]}" $api_pid $idp_pid $mail_pid; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${silo_pids[@]}" $api_pid $idp_pid $mail_pid; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
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
api_dll="$root/api/MutualAssistance.Api.Host/bin/$configuration/net10.0/MutualAssistance.Api.Host.dll"
idp_dll="$root/api/MutualAssistance.IdentityProvider/bin/$configuration/net10.0/MutualAssistance.IdentityProvider.dll"
[ -f "$silo_dll" ] && [ -f "$api_dll" ] && [ -f "$idp_dll" ] || { echo "run.sh: not built yet; run without --no-build" >&2; exit 1; }

export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development

# --- nodes ---------------------------------------------------------------------------------------
# One node serving every authority (the default), or with --federation node KZ and node CN: each its own
# cluster (service id), database and signing key, trusting the other's public key.
# Each node seals personal data under its own master key and keys its person search with its own index key: made
# on the first run under MA_STATE_DIR/sealing/<node> (mode 600), kept across runs so that what was sealed opens.
sealing_settings() { # node: one assignment per line
  local dir="$state/sealing/$1"
  mkdir -p "$dir" && chmod 700 "$dir"
  for key in master-1 person-index; do
    [ -f "$dir/$key.key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$dir/$key.key")
  done
  printf '%s\n' "Sealing__MasterKeys__0__Version=1" "Sealing__MasterKeys__0__KeyPath=$dir/master-1.key" \
    "Sealing__ActiveMasterKey=1" "Sealing__PersonIndexKeyPath=$dir/person-index.key"
}
node_ids=(ALL)
node_env=("$(printf '%s\n' 'Node__Id=ALL' 'Node__Authorities=*'; sealing_settings all)")   # per node: its settings, one NAME=value per line
if [ "$federation" = 1 ]; then
  keys="$state/federation"
  mkdir -p "$keys"
  authorities_of() { grep -o "\"code\": \"$1-[A-Z]*\"" "$root/silo/MutualAssistance.Silo/ReferenceData/authorities.json" | sed 's/.*: "\(.*\)"/\1/' | paste -sd, -; }
  for node in kz cn; do
    if [ ! -f "$keys/$node.pem" ]; then
      say "making node ${node^^}'s signing key (ECDSA P-256) in $keys/$node.pem"
      openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$keys/$node.pem"
      chmod 600 "$keys/$node.pem"
    fi
  done
  public_of() { openssl ec -in "$keys/$1.pem" -pubout -outform DER 2>/dev/null | base64 -w0; }
  base_db="${ConnectionStrings__Postgres}"
  node_url() { echo "http://127.0.0.1:$((api_port + 100 * $1))/"; }
  exchange_url() { echo "http://127.0.0.1:$((exchange_port + $1))/"; } # node index: its exchange listener
  peer_exchange_url() { # peer peer-index: where this node sends to the peer (MA_EXCHANGE_URL_<PEER> puts a proxy between)
    local override="MA_EXCHANGE_URL_${1^^}"
    echo "${!override:-$(exchange_url "$2")}"
  }
  node_settings() { # self peer peer-index: one assignment per line (values may hold spaces)
    local self=$1 peer=$2
    printf '%s\n' \
      "ConnectionStrings__Postgres=${base_db/Database=mutual_assistance/Database=mutual_assistance_${self}}" \
      "Orleans__ClusterId=mutual-assistance-$self" "Orleans__ServiceId=mutual-assistance-$self" \
      "Node__Id=${self^^}" "Node__Authorities=$(authorities_of "${self^^}")" \
      "Node__SigningKeys__0__Id=$self-$(date -r "$keys/$self.pem" +%Y%m%d)" "Node__SigningKeys__0__Path=$keys/$self.pem" \
      "Exchange__Listener__Url=http://127.0.0.1:$((exchange_port + 1 - $3))" \
      "Node__Peers__0__Id=${peer^^}" "Node__Peers__0__ExchangeUrl=$(peer_exchange_url "$peer" "$3")" "Node__Peers__0__Authorities=$(authorities_of "${peer^^}")" \
      "Node__Peers__0__Keys__0__Id=$peer-$(date -r "$keys/$peer.pem" +%Y%m%d)" "Node__Peers__0__Keys__0__PublicKey=$(public_of "$peer")"
    sealing_settings "$self"
  }
  node_ids=(KZ CN)
  node_env=("$(node_settings kz cn 1)" "$(node_settings cn kz 0)")
fi

say "applying database migrations"
for ((i = 0; i < ${#node_ids[@]}; i++)); do
  mapfile -t settings <<<"${node_env[$i]}"
  (cd "$root/silo/MutualAssistance.Silo" && exec env "${settings[@]}" dotnet "$silo_dll" migrate) >"$logs/migrate-${node_ids[$i],,}.log" 2>&1 \
    || { cat "$logs/migrate-${node_ids[$i],,}.log" >&2; exit 1; }
done

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

# --- development identity provider ---------------------------------------------------------------
# Started first, so that the API finds its discovery document at its first token. Its seeded users are
# api/MutualAssistance.IdentityProvider/users.json; its signing key is made on the first run and kept, so that tokens
# stay valid across restarts. The page client may come back to every API origin this run serves.
idp_url="http://127.0.0.1:$idp_port/"
idp_audience=mutual-assistance
idp_env=("Urls=http://127.0.0.1:$idp_port" "IdentityProvider__Issuer=$idp_url" "IdentityProvider__Audience=$idp_audience"
  "IdentityProvider__SigningKeyPath=$state/identity-provider/signing-key.pem")
api_ports=()
if [ "$federation" = 1 ]; then api_ports=("$api_port" $((api_port + 100)));
elif [ "$hosting" = co-hosted ]; then for ((i = 0; i < silos; i++)); do api_ports+=($((api_port + i))); done;
else api_ports=("$api_port"); fi
n=0
for port in "${api_ports[@]}"; do
  for host in 127.0.0.1 localhost; do
    idp_env+=("IdentityProvider__Client__RedirectUris__$n=http://$host:$port/" "IdentityProvider__Client__PostLogoutRedirectUris__$n=http://$host:$port/")
    n=$((n + 1))
  done
done
# What the API (co-hosted silos or the separate host) needs to trust the provider beside the user-jwts keys.
# The page signs its users in at the same provider (code flow with PKCE; README "The case handler's page").
trust_idp=("Authentication__Schemes__IdentityProvider__Authority=$idp_url" "Authentication__Schemes__IdentityProvider__ValidAudiences__0=$idp_audience"
  "Page__SignIn__Issuer=$idp_url" "Page__SignIn__ClientId=mutual-assistance-page" "Page__SignIn__Scope=openid profile roles offline_access")
(cd "$root/api/MutualAssistance.IdentityProvider" && exec env "${idp_env[@]}" dotnet "$idp_dll" >"$logs/identity-provider.log" 2>&1) &
idp_pid=$!
wait_ready "identity provider" "${idp_url}.well-known/openid-configuration" "$idp_pid" "$logs/identity-provider.log"

# --- notification mail ---------------------------------------------------------------------------
# A local SMTP server with a web inbox (smtp4dev, a dotnet tool of the repository's manifest), so that the mail the
# silos send in the recipients' office hours can be read at http://127.0.0.1:$mail_port. The recipients are the
# seeded users' authorities (README "Notifications"); personal data stays out of the bodies (IncludeSubject=false).
(cd "$root" && dotnet tool restore >/dev/null && exec dotnet tool run smtp4dev --urls="http://127.0.0.1:$mail_port" --smtpport="$smtp_port" \
  --bindaddress=127.0.0.1 --imapport=0 --pop3port=0 --db= --nousersettings --baseappdatapath="$state/smtp4dev" >"$logs/smtp4dev.log" 2>&1) &
mail_pid=$!
wait_ready "mail inbox (smtp4dev)" "http://127.0.0.1:$mail_port/" "$mail_pid" "$logs/smtp4dev.log"
mail_env=("Notifications__Email__Enabled=true" "Notifications__Email__Smtp__Host=127.0.0.1" "Notifications__Email__Smtp__Port=$smtp_port"
  "Notifications__Email__Smtp__Security=None" "Notifications__Email__From=deadlines@mutual-assistance.local"
  "Notifications__Email__OfficeHours__Opens=09:00" "Notifications__Email__OfficeHours__Closes=18:00"
  "Notifications__Email__DigestInterval=01:00:00" "Notifications__Email__IncludeSubject=false"
  "Notifications__Email__Recipients__0__Authority=KZ-GP" "Notifications__Email__Recipients__0__Address=deadlines@gp.kz.local"
  "Notifications__Email__Recipients__0__Language=ru" "Notifications__Email__Recipients__0__Levels=0,1,2,3"
  "Notifications__Email__Recipients__1__Authority=CN-MOJ" "Notifications__Email__Recipients__1__Address=deadlines@moj.cn.local"
  "Notifications__Email__Recipients__1__Language=zh" "Notifications__Email__Recipients__1__Levels=0,1,2,3"
  "Notifications__Email__Recipients__2__Authority=RU-GP" "Notifications__Email__Recipients__2__Address=deadlines@genproc.ru.local"
  "Notifications__Email__Recipients__2__Language=ru" "Notifications__Email__Recipients__2__Levels=0,1,2,3")

# Co-hosted, a silo's one HTTP port serves the API and health; separate, it serves health only.
silo_http() {
  if [ "$federation" = 1 ]; then echo $((api_port + 100 * $1));
  elif [ "$hosting" = co-hosted ]; then echo $((api_port + $1)); else echo $((silo_http_port + $1)); fi
}
silo_health() { echo "http://127.0.0.1:$(silo_http "$1")/health/ready"; }
start_silo() { # index; a restarted silo appends to its log
  echo "--- run.sh: starting silo $1 at $(date -u +%FT%TZ)" >>"$logs/silo-$1.log"
  local node=$(( federation == 1 ? $1 : 0 )) settings
  mapfile -t settings <<<"${node_env[$node]}"
  (cd "$root/silo/MutualAssistance.Silo" && exec env "${settings[@]}" "${trust_idp[@]}" "${mail_env[@]}" \
    Orleans__SiloPort=$((silo_port + $1)) Orleans__GatewayPort=$((gateway_port + $1)) \
    Orleans__AdvertisedIPAddress=127.0.0.1 Urls="http://127.0.0.1:$(silo_http "$1")" Api__Hosting=$hosting \
    dotnet "$silo_dll" >>"$logs/silo-$1.log" 2>&1) &
  silo_pids[$1]=$!
  silo_ready[$1]=0
}

for ((i = 0; i < silos; i++)); do : >"$logs/silo-$i.log"; start_silo "$i"; done
for ((i = 0; i < silos; i++)); do
  wait_ready "silo $i" "$(silo_health "$i")" "${silo_pids[$i]}" "$logs/silo-$i.log"
  silo_ready[$i]=1
done

if [ "$hosting" = separate ]; then
  mapfile -t settings <<<"${node_env[0]}"
  (cd "$root/api/MutualAssistance.Api.Host" && exec env "${settings[@]}" "${trust_idp[@]}" Urls="http://127.0.0.1:$api_port" dotnet "$api_dll" >"$logs/api.log" 2>&1) &
  api_pid=$!
  wait_ready "API" "http://127.0.0.1:$api_port/health/ready" "$api_pid" "$logs/api.log"
fi

say "ready"
if [ "$federation" = 1 ]; then
  echo "  node KZ      API $(node_url 0)   (Kazakhstan's authorities: $(authorities_of KZ)); exchange $(exchange_url 0)exchange/v1/messages, sends to CN at $(peer_exchange_url cn 1)"
  echo "  node CN      API $(node_url 1)   (China's authorities: $(authorities_of CN)); exchange $(exchange_url 1)exchange/v1/messages, sends to KZ at $(peer_exchange_url kz 0)"
  echo "  keys         $keys (each node's signing key; each trusts the other's public key)"
elif [ "$hosting" = co-hosted ]; then
  echo "  API          http://127.0.0.1:$api_port   (co-hosted in silo 0; silo i serves it on $api_port+i; OpenAPI: /openapi/v1.json, health: /health/live, /health/ready)"
else
  echo "  API          http://127.0.0.1:$api_port   (separate process, pid $api_pid; OpenAPI: /openapi/v1.json, health: /health/live, /health/ready)"
fi
for ((i = 0; i < silos; i++)); do
  echo "  silo $i       silo port $((silo_port + i)), gateway $((gateway_port + i)), http $(silo_http "$i") (health $(silo_health "$i")), pid ${silo_pids[$i]}"
done
echo "  sign-in      ${idp_url}signin   (development identity provider, pid $idp_pid: pick a seeded user, no password; discovery ${idp_url}.well-known/openid-configuration)"
echo "  page         http://127.0.0.1:$api_port/   (the case handler's workspace: Sign in, pick a seeded user)"
echo "  mail         http://127.0.0.1:$mail_port/   (smtp4dev, pid $mail_pid: the notification mail the silos send, SMTP port $smtp_port)"
echo "  PostgreSQL   ${ConnectionStrings__Postgres}"
echo "  logs         $logs"
echo "  stop         Ctrl-C (or SIGTERM to this script, pid $$)"

# Watch the children. A silo that dies is reported and started again (the others keep serving); a separate API,
# the identity provider or the local PostgreSQL dying stops everything.
start_down=0
trap 'start_down=1' USR1
pg_alive() { [ "$pg_started" = 0 ] || { [ -f "$pg_data/postmaster.pid" ] && kill -0 "$(head -n 1 "$pg_data/postmaster.pid")" 2>/dev/null; }; }
while :; do
  if [ -n "$api_pid" ] && ! kill -0 "$api_pid" 2>/dev/null; then say "the API (pid $api_pid) exited on its own; see $logs/api.log"; exit 1; fi
  if ! kill -0 "$idp_pid" 2>/dev/null; then say "the identity provider (pid $idp_pid) exited on its own; see $logs/identity-provider.log"; exit 1; fi
  if ! kill -0 "$mail_pid" 2>/dev/null; then say "the mail inbox (smtp4dev, pid $mail_pid) exited on its own; see $logs/smtp4dev.log"; exit 1; fi
  if ! pg_alive; then say "the local PostgreSQL exited; see $pg_data/server.log"; exit 1; fi
  for ((i = 0; i < silos; i++)); do
    pid="${silo_pids[$i]}"
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      status=0; wait "$pid" 2>/dev/null || status=$?
      silo_pids[$i]=
      up=0; for other in "${silo_pids[@]}"; do [ -n "$other" ] && up=$((up + 1)); done
      say "silo $i (pid $pid) exited with status $status; $up of $silos silos keep serving; see $logs/silo-$i.log"
      if [ "$restart" = 0 ]; then
        say "silo $i is left down (--no-restart); start it again with: kill -USR1 $$"
      elif [ "${silo_ready[$i]}" = 0 ]; then
        say "silo $i died before it was ready; left down. Start it again with: kill -USR1 $$"
      else
        say "restarting silo $i"
        start_silo "$i"
      fi
    elif [ -n "$pid" ] && [ "${silo_ready[$i]}" = 0 ] && curl -fsS -o /dev/null "$(silo_health "$i")" 2>/dev/null; then
      silo_ready[$i]=1
      say "silo $i ready again (pid $pid)"
    fi
  done
  if [ "$start_down" = 1 ]; then
    start_down=0
    for ((i = 0; i < silos; i++)); do
      if [ -z "${silo_pids[$i]}" ]; then say "starting silo $i again"; start_silo "$i"; fi
    done
  fi
  sleep 1 &
  wait $! || true
done
