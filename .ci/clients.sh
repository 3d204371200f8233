#!/usr/bin/env bash
# Third-party clients against a running server.
#
#   bash .ci/clients.sh                 # every executable .ci/clients/*.sh
#   bash .ci/clients.sh webhooks redocly   # only these (names without .sh)
#
# Builds target/debug/hotline, starts it on a throw-away SQLite database (or,
# with HOTLINE_CLIENTS_DATABASE_URL=postgres://…/db naming a server where it
# may create databases, a throw-away PostgreSQL database there, dropped at
# the end) on a free loopback port (webhooks to plain http allowed), creates an admin API
# key and an integration API key through the API, then runs each executable
# .ci/clients/*.sh in name order with:
#
#   HOTLINE_URL              http://127.0.0.1:PORT (no trailing slash)
#   HOTLINE_ADMIN_KEY        an admin API key (Authorization: Bearer)
#   HOTLINE_INTEGRATION_KEY  an API key with role integration
#   HOTLINE_CLIENTS_WORK     a scratch directory of the script's own
#
# Each script installs its client from the client's own registry into a
# private environment, exits non-zero on failure and says what it checked.
# Prints pass/fail per script; exits non-zero when any failed. The server is
# always stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[clients.sh] $*" >&2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hotline-clients.XXXXXX")"
SERVER_PID=""
PG_ADMIN="${HOTLINE_CLIENTS_DATABASE_URL:-}"
PG_DB=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n "$PG_DB" ]]; then
        psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf -- "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SCRIPTS=()
if (($#)); then
    for name in "$@"; do
        SCRIPTS+=(".ci/clients/${name%.sh}.sh")
    done
else
    for s in .ci/clients/*.sh; do
        [[ -x "$s" ]] && SCRIPTS+=("$s")
    done
fi
((${#SCRIPTS[@]})) || { log "no executable scripts in .ci/clients/"; exit 1; }

cargo build -q --bin hotline
DB_URL="sqlite:$WORK/clients.db"
if [[ -n "$PG_ADMIN" ]]; then
    PG_DB="hotline_clients_$$"
    psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB"
    base="${PG_ADMIN%%\?*}"
    DB_URL="${base%/*}/$PG_DB${PG_ADMIN#"$base"}"
    log "on PostgreSQL database $PG_DB"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
PASSWORD="clients admin password $RANDOM$RANDOM"
HOTLINE_DATABASE_URL="$DB_URL" HOTLINE_LISTEN="127.0.0.1:$PORT" \
    HOTLINE_ADMIN_PASSWORD="$PASSWORD" HOTLINE_LOG=warn HOTLINE_WEBHOOKS_ALLOW_HTTP=true \
    target/debug/hotline >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    curl -fs "$URL/readyz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
done
curl -fs "$URL/readyz" >/dev/null || { cat "$WORK/server.log" >&2; log "server did not start"; exit 1; }
log "server up at $URL"

json() { python3 -c "import sys, json; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
TOKEN=$(curl -fsS -X POST "$URL/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json access_token)
new_key() {
    curl -fsS -X POST "$URL/api/v1/api-keys" -H "authorization: Bearer $TOKEN" \
        -H 'content-type: application/json' -d "{\"name\":\"$1\",\"role\":\"$2\"}" | json key
}
ADMIN_KEY=$(new_key clients-admin admin)
INTEGRATION_KEY=$(new_key clients-integration integration)

RESULTS=()
FAILED=0
for script in "${SCRIPTS[@]}"; do
    name=$(basename "$script" .sh)
    scratch="$WORK/$name"
    mkdir -p "$scratch"
    echo
    echo "================================================================"
    echo "== client: $name ($script)"
    echo "================================================================"
    t0=$SECONDS
    set +e
    HOTLINE_URL="$URL" HOTLINE_ADMIN_KEY="$ADMIN_KEY" HOTLINE_INTEGRATION_KEY="$INTEGRATION_KEY" \
        HOTLINE_CLIENTS_WORK="$scratch" bash "$script"
    rc=$?
    set -e
    if ((rc == 0)); then
        RESULTS+=("PASS $name ($((SECONDS - t0))s)")
    else
        RESULTS+=("FAIL $name (exit $rc, $((SECONDS - t0))s)")
        FAILED=1
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        log "the server died during $name"
        tail -n 50 "$WORK/server.log" >&2
        RESULTS+=("FAIL server stopped")
        FAILED=1
        break
    fi
done

echo
echo "================================================================"
printf '%s\n' "${RESULTS[@]}"
if ((FAILED)); then
    log "server log (last 50 lines):"
    tail -n 50 "$WORK/server.log" >&2
    echo "CLIENTS: FAILED"
    exit 1
fi
echo "CLIENTS: OK"
