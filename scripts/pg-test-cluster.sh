#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests: initdb into a temp dir,
# trust authentication, loopback TCP on a fixed high port, its own socket dir.
#
#   scripts/pg-test-cluster.sh start   # idempotent; prints the URL
#   scripts/pg-test-cluster.sh url     # postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg-test-cluster.sh status  # exit 0 when it answers
#   scripts/pg-test-cluster.sh stop    # idempotent; removes the data directory
#
# PostgreSQL refuses to run as root, so when run as root the server runs as
# the `postgres` user (runuser). Settings: REDRESS_PG_PORT (55432),
# REDRESS_PG_DIR (/tmp/redress-pg-$PORT), REDRESS_PG_BIN
# (/usr/lib/postgresql/15/bin). Trust auth on loopback only: for tests, never
# for data that matters.
set -euo pipefail

port="${REDRESS_PG_PORT:-55432}"
dir="${REDRESS_PG_DIR:-/tmp/redress-pg-$port}"
bin="${REDRESS_PG_BIN:-/usr/lib/postgresql/15/bin}"
data="$dir/data"
sock="$dir/socket"
log="$dir/server.log"
url="postgresql://postgres@127.0.0.1:$port/postgres"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

answers() {
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres 2>/dev/null
}

start() {
  if [ ! -x "$bin/initdb" ]; then
    echo "pg-test-cluster: $bin/initdb not found; run scripts/install-deps.sh (postgresql)" >&2
    exit 1
  fi
  if answers && [ -f "$data/postmaster.pid" ]; then
    echo "$url"
    return 0
  fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner mkdir -p "$sock"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
  fi
  # fsync stays on: the tests check durability (kill -9) like production would.
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $sock -c max_connections=200 \
        -c shared_buffers=64MB" >/dev/null || {
    tail -n 30 "$log" >&2 || true
    exit 1
  }
  echo "$url"
}

stop() {
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  status) answers ;;
  *)
    echo "usage: $0 start|stop|url|status" >&2
    exit 2
    ;;
esac
