#!/usr/bin/env bash
# Property-based API testing from the published OpenAPI document.
#
#   bash .ci/schemathesis.sh            # uses target/debug/hotline (builds it)
#
# Installs schemathesis from PyPI into a private virtualenv, starts the
# server on a throw-away SQLite database, signs in with an admin API key and
# runs every operation (but the endless live stream) through the examples,
# coverage and fuzzing phases, checking: no 5xx, documented status codes,
# documented content types, responses matching their schemas. Bounded in
# time (HOTLINE_SCHEMATHESIS_MAX_EXAMPLES, default 40 per operation).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[schemathesis.sh] $*" >&2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hotline-schemathesis.XXXXXX")"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf -- "$WORK"
}
trap cleanup EXIT

VENV="${HOTLINE_SCHEMATHESIS_VENV:-${TMPDIR:-/tmp}/hotline-schemathesis-venv}"
if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    log "installing schemathesis into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check 'schemathesis>=4,<5' >&2
fi
"$VENV/bin/schemathesis" --version >&2

cargo build -q --bin hotline
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PASSWORD="schemathesis admin password"
# The fuzzer floods from one account: with rate limits on it would meet
# mostly 429s (documented on every operation; tests/api/edge.rs covers them).
HOTLINE_DATABASE_URL="sqlite:$WORK/api.db" HOTLINE_LISTEN="127.0.0.1:$PORT" \
    HOTLINE_ADMIN_PASSWORD="$PASSWORD" HOTLINE_LOG=warn HOTLINE_WEBHOOKS=false \
    HOTLINE_RATE_LIMIT_PER_MINUTE=0 \
    target/debug/hotline >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/server.log" >&2; log "server did not start"; exit 1; }

json() { python3 -c "import sys, json; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
TOKEN=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" | json access_token)
# An API key rather than the token: a generated logout or user change
# cannot sign the run out half-way.
KEY=$(curl -fs -X POST "http://127.0.0.1:$PORT/api/v1/api-keys" -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' -d '{"name":"schemathesis","role":"admin"}' | json key)

cd "$WORK"
"$VENV/bin/schemathesis" run "$OLDPWD/openapi/openapi.json" \
    --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $KEY" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path /api/v1/stream \
    --phases examples,coverage,fuzzing \
    --max-examples "${HOTLINE_SCHEMATHESIS_MAX_EXAMPLES:-40}" \
    --workers 2 \
    --request-timeout 30 \
    --seed "${HOTLINE_SCHEMATHESIS_SEED:-20261122}" \
    --no-color \
    --warnings off
