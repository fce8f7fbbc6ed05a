#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL server for the store tests.
#
#   tests/store/pg_server.sh start DIR [PORT]   # prints the URL for the tests
#   tests/store/pg_server.sh stop  DIR
#
# Example:
#   export MODELMAP_TEST_POSTGRES_URL=$(tests/store/pg_server.sh start /tmp/mm-pg 54329)
#   .venv/bin/python -m pytest tests/store -q
#   tests/store/pg_server.sh stop /tmp/mm-pg
#
# The server listens on 127.0.0.1:PORT only (and a socket in DIR), trusts local
# connections, and runs with fsync off: it is for tests, never for data.  PostgreSQL
# refuses to run as root, so as root the server runs as the user "postgres" (created
# as a system user when missing); DIR and its parents must be reachable by that user.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
port=${3:-54329}

find_bin() {
    if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
    [ -n "$found" ] || { echo "$0: cannot find $1; install PostgreSQL" >&2; exit 1; }
    echo "$found"
}

run_user=""
if [ "$(id -u)" = 0 ]; then
    run_user=postgres
    if ! id -u "$run_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$run_user"
    fi
fi

as_server_user() {
    if [ -n "$run_user" ]; then runuser -u "$run_user" -- "$@"; else "$@"; fi
}

start() {
    local initdb pg_ctl
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    [ -z "$run_user" ] || chown "$run_user" "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        if ! as_server_user "$initdb" -D "$dir/data" -U postgres --auth=trust \
            --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            exit 1
        fi
    fi
    if ! as_server_user "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" start >&2; then
        cat "$dir/server.log" >&2
        exit 1
    fi
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local pg_ctl
    pg_ctl=$(find_bin pg_ctl)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_server_user "$pg_ctl" -D "$dir/data" -m fast -w stop >&2
    else
        echo "$0: no server running in $dir" >&2
    fi
}

case $action in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
