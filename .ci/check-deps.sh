#!/usr/bin/env bash
# Layering rules between the workspace crates, checked on the resolved
# (normal, i.e. non-dev, non-build) dependency graph:
#
#   hotline-domain      must stay free of I/O: no sea-orm, sea-query, sqlx,
#                       axum, utoipa, hyper, tokio (direct or transitive),
#                       and no dependency on the other workspace crates
#   hotline-app         the use cases: neither HTTP (axum, utoipa, hyper,
#                       hotline-http) nor the database (sea-orm, sea-query,
#                       sqlx, hotline-persistence)
#   hotline-http        must not reach the database layer: no
#                       hotline-persistence, sea-orm, sqlx
#   hotline-persistence must not know about HTTP or the use cases: no axum,
#                       utoipa, hotline-http, hotline-app
#   hotline-trace       the trace context carried across awaits and the
#                       spans handed to an exporter: no HTTP, no database,
#                       no other workspace crate
#
# and, in the source: the workers, first start and the command line
# (src/workers, src/seed, src/bootstrap.rs) call the
# app crate, never hotline-http.
#
# Run from anywhere inside the repository: bash .ci/check-deps.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

failures=0

# check_rule <crate> <banned crate>...
check_rule() {
    local crate=$1
    shift
    local tree
    # a cargo failure must fail the check, not look like an empty graph
    if ! tree="$(cargo tree -p "$crate" -e normal --prefix none)"; then
        echo "FAIL: 'cargo tree -p $crate' failed" >&2
        failures=$((failures + 1))
        return 0
    fi
    local banned hits=()
    for banned in "$@"; do
        # whole crate name at line start: "^tokio v" does not match "tokio-util v"
        if grep -qE "^${banned//./\\.} v" <<<"$tree"; then
            hits+=("$banned")
        fi
    done
    if ((${#hits[@]} == 0)); then
        echo "ok:   $crate does not depend on: $*"
        return 0
    fi
    failures=$((failures + 1))
    echo "FAIL: $crate depends on forbidden crate(s): ${hits[*]}"
    local spec
    for banned in "${hits[@]}"; do
        # name@version, so that several versions of one crate are not ambiguous
        while read -r spec; do
            echo "      how $crate reaches $spec:"
            cargo tree -p "$crate" -e normal -i "$spec" 2>/dev/null | sed 's/^/        /' || true
        done < <(grep -E "^${banned//./\\.} v" <<<"$tree" | awk '{sub(/^v/, "", $2); print $1 "@" $2}' | sort -u)
    done
}

echo "Checking crate layering rules (cargo tree -e normal)"
check_rule hotline-domain \
    sea-orm sea-query sqlx axum utoipa hyper tokio \
    hotline-persistence hotline-http hotline-app
check_rule hotline-app \
    axum utoipa hyper sea-orm sea-query sqlx \
    hotline-persistence hotline-http
check_rule hotline-http \
    hotline-persistence sea-orm sqlx
check_rule hotline-persistence \
    axum utoipa hotline-http hotline-app
check_rule hotline-trace \
    sea-orm sea-query sqlx axum utoipa hyper reqwest \
    hotline-domain hotline-persistence hotline-http hotline-app

# Source rule: only the wiring and the server hand the application to HTTP.
if hits="$(grep -rln 'hotline_http' src/workers src/seed src/bootstrap.rs 2>/dev/null)" && [[ -n "$hits" ]]; then
    echo "FAIL: these reach hotline-http instead of the app crate:"
    sed 's/^/      /' <<<"$hits"
    failures=$((failures + 1))
else
    echo "ok:   workers, seed and first start do not use hotline-http"
fi

# Source rule: handlers call use cases; only the live stream's hub follows
# the event log itself.
if hits="$(grep -rlE '\.store(\b|\.)' crates/hotline-http/src | grep -v '^crates/hotline-http/src/stream/hub.rs$')" && [[ -n "$hits" ]]; then
    echo "FAIL: these read the store instead of calling the app crate:"
    sed 's/^/      /' <<<"$hits"
    failures=$((failures + 1))
else
    echo "ok:   HTTP handlers do not read the store"
fi

if ((failures > 0)); then
    echo "check-deps: $failures rule(s) violated" >&2
    exit 1
fi
echo "check-deps: all rules hold"
