#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the test suite.
#
#   bash .ci/postgres.sh start   # prints `export HOTLINE_TEST_DATABASE_URL=...` lines
#   bash .ci/postgres.sh stop    # stops the cluster and deletes its data dir
#   bash .ci/postgres.sh status
#   bash .ci/postgres.sh pause   # stops the server at once, keeping its data (fault drills)
#   bash .ci/postgres.sh resume  # starts it again on the same port
#   bash .ci/postgres.sh logtail [N]
#
# Usage from a script:   pg_env="$(bash .ci/postgres.sh start)" && eval "$pg_env"
# or simply source it:   source .ci/postgres.sh start   (exports the variables)
#
# Environment knobs:
#   HOTLINE_CI_PG_PORT   first port to try (default 55432; the next free one is used if taken)
#   HOTLINE_CI_PG_STATE  state file remembering the running cluster
#                        (default: ${TMPDIR:-/tmp}/hotline-ci-postgres.env)
#
# Diagnostics go to stderr; stdout of `start` is only the export lines.

# --- sourced? run ourselves in a subshell and import the exported variables ---
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
    __hotline_pg_out="$(bash "${BASH_SOURCE[0]}" "$@")" || {
        __hotline_pg_rc=$?
        unset __hotline_pg_out
        return "$__hotline_pg_rc"
    }
    eval "$__hotline_pg_out"
    unset __hotline_pg_out __hotline_pg_rc
    return 0
fi

set -euo pipefail

STATE_FILE="${HOTLINE_CI_PG_STATE:-${TMPDIR:-/tmp}/hotline-ci-postgres.env}"
BASE_PORT="${HOTLINE_CI_PG_PORT:-55432}"
PG_USER=postgres

log() { echo "[postgres.sh] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Run a command as the postgres OS user when we are root (the server refuses
# to run as root); otherwise as ourselves.
as_pg() {
    # cd / so the server does not complain about an unreadable cwd
    if is_root; then
        (cd / && runuser -u "$PG_USER" -- "$@")
    else
        (cd / && "$@")
    fi
}

find_pgbin() {
    local d best=""
    # newest major version wins (sort -V handles 9.6 < 10 < 16)
    while IFS= read -r d; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && best="$d"
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    [[ -n "$best" ]] && echo "$best"
}

ensure_installed() {
    if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
        return 0
    fi
    log "PostgreSQL server not found; installing it with apt-get"
    local sudo=()
    if ! is_root; then
        command -v sudo >/dev/null || die "not root and no sudo: cannot install postgresql"
        sudo=(sudo -n)
    fi
    "${sudo[@]}" apt-get update -qq </dev/null >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
        || die "postgresql installed but no initdb under /usr/lib/postgresql/*/bin"
}

ensure_pg_user() {
    is_root || return 0
    if ! id -u "$PG_USER" >/dev/null 2>&1; then
        log "creating system user $PG_USER"
        useradd --system --user-group --home-dir /var/lib/postgresql \
            --shell /bin/bash "$PG_USER"
    fi
}

port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

load_state() {
    PGDATA="" PGBIN="" PGPORT_USED=""
    if [[ -f "$STATE_FILE" ]]; then
        # shellcheck disable=SC1090
        source "$STATE_FILE"
    fi
}

print_exports() {
    local url="postgres://${PG_USER}@127.0.0.1:${PGPORT_USED}/postgres"
    log "HOTLINE_TEST_DATABASE_URL=$url"
    printf 'export HOTLINE_TEST_DATABASE_URL=%q\n' "$url"
    printf 'export HOTLINE_CI_PGDATA=%q\n' "$PGDATA"
    printf 'export HOTLINE_CI_PG_LOG=%q\n' "$PGDATA/log"
    printf 'export HOTLINE_CI_PG_STATE=%q\n' "$STATE_FILE"
}

running() {
    [[ -n "${PGDATA:-}" && -d "$PGDATA" && -n "${PGBIN:-}" && -n "${PGPORT_USED:-}" ]] \
        && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 \
        && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT_USED" -U "$PG_USER" -t 5 </dev/null
}

cmd_start() {
    load_state
    if running; then
        log "cluster already running (PGDATA=$PGDATA, port $PGPORT_USED); reusing it"
        print_exports
        return 0
    fi
    # stale state from an earlier crashed run
    if [[ -n "${PGDATA:-}" ]]; then
        log "cleaning up stale cluster ($PGDATA)"
        if [[ -d "$PGDATA" && -n "${PGBIN:-}" ]]; then
            as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
        fi
        rm -rf -- "$PGDATA"
        rm -f -- "$STATE_FILE"
    fi

    ensure_installed
    ensure_pg_user
    PGBIN="$(find_pgbin)" || die "no usable PostgreSQL bin dir under /usr/lib/postgresql"
    log "using $PGBIN"

    PGDATA="$(mktemp -d "${TMPDIR:-/tmp}/hotline-ci-pgdata.XXXXXX")"
    chmod 700 "$PGDATA"
    if is_root; then
        chown "$PG_USER:" "$PGDATA"
    fi

    if ! as_pg "$PGBIN/initdb" -D "$PGDATA" -U "$PG_USER" --auth=trust \
            -E UTF8 --locale=C.UTF-8 >"$PGDATA.initdb.log" 2>&1; then
        cat "$PGDATA.initdb.log" >&2
        rm -rf -- "$PGDATA" "$PGDATA.initdb.log"
        die "initdb failed"
    fi
    rm -f -- "$PGDATA.initdb.log"

    local port=$BASE_PORT
    for _ in $(seq 1 50); do
        if port_in_use "$port"; then
            log "port $port is taken, trying $((port + 1))"
            port=$((port + 1))
            continue
        fi
        if as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" \
                -o "$(server_options "$port")" -w -t 60 start >&2; then
            PGPORT_USED=$port
            break
        fi
        # lost a race for the port? try the next one; anything else is fatal
        if grep -qiE 'address already in use|could not bind' "$PGDATA/log" 2>/dev/null; then
            log "port $port became busy, trying $((port + 1))"
            port=$((port + 1))
            continue
        fi
        log "pg_ctl start failed; server log:"
        tail -n 50 "$PGDATA/log" >&2 2>/dev/null || true
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf -- "$PGDATA"
        die "could not start PostgreSQL"
    done
    if [[ -z "${PGPORT_USED:-}" ]]; then
        rm -rf -- "$PGDATA"
        die "no free port found starting at $BASE_PORT"
    fi

    {
        printf 'PGDATA=%q\n' "$PGDATA"
        printf 'PGBIN=%q\n' "$PGBIN"
        printf 'PGPORT_USED=%q\n' "$PGPORT_USED"
    } >"$STATE_FILE"

    # sanity check: the server accepts TCP connections as the trust user
    if [[ -x "$PGBIN/psql" ]]; then
        "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT_USED" -U "$PG_USER" -d postgres \
            -c 'select 1' >/dev/null </dev/null \
            || { cmd_stop >/dev/null; die "server started but does not accept connections"; }
    fi
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') running on 127.0.0.1:$PGPORT_USED (PGDATA=$PGDATA)"
    print_exports
}

cmd_stop() {
    load_state
    # fall back on the variables exported by `start` if the state file is gone
    PGDATA="${PGDATA:-${HOTLINE_CI_PGDATA:-}}"
    if [[ -z "$PGDATA" ]]; then
        log "no cluster to stop"
    else
        if [[ -z "${PGBIN:-}" ]]; then
            PGBIN="$(find_pgbin || true)"
        fi
        if [[ -d "$PGDATA" && -n "$PGBIN" ]] \
                && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
            log "stopping cluster in $PGDATA"
            as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >&2 \
                || as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >&2 \
                || log "WARNING: pg_ctl stop failed"
        fi
        rm -rf -- "$PGDATA"
        log "removed $PGDATA"
    fi
    rm -f -- "$STATE_FILE"
    echo 'unset HOTLINE_TEST_DATABASE_URL HOTLINE_CI_PGDATA HOTLINE_CI_PG_LOG'
}

cmd_status() {
    load_state
    if running; then
        log "running on 127.0.0.1:$PGPORT_USED (PGDATA=$PGDATA)"
    else
        log "not running"
        return 1
    fi
}

cmd_logtail() {
    load_state
    PGDATA="${PGDATA:-${HOTLINE_CI_PGDATA:-}}"
    [[ -n "$PGDATA" && -f "$PGDATA/log" ]] || { log "no server log"; return 0; }
    tail -n "${1:-60}" "$PGDATA/log" >&2
}

# The server options of `start`, for `resume` too.
server_options() {
    echo "-p $1 -k $PGDATA -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
}

cmd_pause() {
    load_state
    [[ -n "${PGDATA:-}" ]] || die "no cluster to pause"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w -t 30 stop >&2
    log "paused (data kept in $PGDATA)"
}

cmd_resume() {
    load_state
    [[ -n "${PGDATA:-}" ]] || die "no cluster to resume"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -o "$(server_options "$PGPORT_USED")" -w -t 60 start >&2
    log "resumed on 127.0.0.1:$PGPORT_USED"
}

case "${1:-}" in
    start) cmd_start ;;
    pause) cmd_pause ;;
    resume) cmd_resume ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    logtail) shift; cmd_logtail "$@" ;;
    *) echo "usage: $0 start|stop|status|pause|resume|logtail [N]" >&2; exit 2 ;;
esac
