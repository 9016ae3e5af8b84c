#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tracer's tests and benchmarks.
#
#   tools/pg-test-cluster.sh start [--no-fsync] [DIR]
#                                          create + start a cluster in DIR (default: a new
#                                          temp dir), print its URL on the last stdout line;
#                                          --no-fsync for unit tests (commits still wait for
#                                          the server, not for the disk), never for benchmarks
#   tools/pg-test-cluster.sh stop DIR      stop it and remove DIR
#   tools/pg-test-cluster.sh halt DIR      stop the server, keep its data (an outage, in tests)
#   tools/pg-test-cluster.sh resume DIR    start it again on the same port
#
# The cluster listens on 127.0.0.1 on a free port and on a unix socket inside DIR.
# It has a role `tracer_test` (password `tracer_test`, CREATEROLE) owning a database
# `tracer_test`; the URL printed is postgresql://tracer_test:tracer_test@127.0.0.1:PORT/tracer_test.
# TCP logins need the password (scram-sha-256), so tests can check a wrong one.
# initdb refuses to run as root: as root the server runs as the `postgres` user.
set -euo pipefail

PGBIN="${PGBIN:-}"
if [ -z "$PGBIN" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PGBIN="$d"; done
fi
if [ -z "$PGBIN" ] && command -v initdb >/dev/null; then PGBIN="$(dirname "$(command -v initdb)")"; fi
if { [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; } && [ "${1:-}" != "stop" ]; then
  echo "pg-test-cluster: PostgreSQL server programs not found (install the Debian package" \
    "'postgresql', or set PGBIN to the folder holding initdb and pg_ctl)" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "pg-test-cluster: running as root and there is no 'postgres' user to run the server" >&2
      exit 2
    fi
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cmd="${1:-}"
case "$cmd" in
start)
  fsync=on
  if [ "${2:-}" = "--no-fsync" ]; then fsync=off; shift; fi
  dir="${2:-$(mktemp -d -t tracer-pg.XXXXXX)}"
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ "$(id -u)" = "0" ] && chown postgres: "$dir"
  pwfile="$dir/pw"
  echo "postgres-$RANDOM$RANDOM" >"$pwfile"
  [ "$(id -u)" = "0" ] && chown postgres: "$pwfile"
  # --no-sync: a throwaway cluster need not survive a power cut while it is created
  as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
    echo "pg-test-cluster: initdb failed:" >&2
    tail -20 "$dir/initdb.log" >&2
    exit 1
  }
  started=""
  for _ in 1 2 3 4 5; do
    port="$(free_port)"
    opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
    opts="$opts -c max_connections=60 -c shared_buffers=64MB -c log_min_messages=warning"
    opts="$opts -c fsync=$fsync"
    if as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 30 start \
      >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  if [ -z "$started" ]; then
    echo "pg-test-cluster: the server did not start; its log:" >&2
    tail -20 "$dir/server.log" >&2 || true
    exit 1
  fi
  echo "$port" >"$dir/port"
  echo "$opts" >"$dir/opts"
  as_owner "$PGBIN/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<'SQL'
CREATE ROLE tracer_test LOGIN PASSWORD 'tracer_test' CREATEROLE CREATEDB;
CREATE DATABASE tracer_test OWNER tracer_test;
SQL
  url="postgresql://tracer_test:tracer_test@127.0.0.1:$port/tracer_test"
  echo "$url" >"$dir/url"
  echo "pg-test-cluster: started in $dir" >&2
  echo "$url"
  ;;
stop)
  dir="${2:?usage: $0 stop DIR}"
  if [ -d "$dir/data" ] && [ -x "$PGBIN/pg_ctl" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$dir" in
  /tmp/* | "${TMPDIR:-/tmp}"/*) rm -rf "$dir" ;;
  *) echo "pg-test-cluster: stopped; left $dir in place (not under a temp dir)" >&2 ;;
  esac
  ;;
halt)
  dir="${2:?usage: $0 halt DIR}"
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  ;;
resume)
  dir="${2:?usage: $0 resume DIR}"
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$(cat "$dir/opts")" -w -t 30 \
    start >/dev/null
  ;;
*)
  echo "usage: $0 start [DIR] | stop DIR | halt DIR | resume DIR" >&2
  exit 2
  ;;
esac
