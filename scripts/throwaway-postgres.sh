#!/usr/bin/env bash
# A disposable PostgreSQL server on loopback, for tests and the sample audit.
#   throwaway-postgres.sh start DIR   initdb in DIR, start on a free 127.0.0.1 port, print the port
#   throwaway-postgres.sh stop DIR    stop the server and delete DIR
#   throwaway-postgres.sh bindir      print the directory of the server binaries
# Run as root, the server runs as the 'postgres' user (PostgreSQL refuses to run as root).
set -euo pipefail

bindir() {
  local candidates=()
  [ -n "${HOTDASH_PG_BIN:-}" ] && candidates+=("$HOTDASH_PG_BIN")
  if command -v initdb >/dev/null 2>&1; then candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")"); fi
  while IFS= read -r d; do candidates+=("$d"); done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
  for d in "${candidates[@]}"; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  echo "no PostgreSQL server binaries found (install the Debian package 'postgresql', or set HOTDASH_PG_BIN)" >&2
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "no free port found" >&2
  return 1
}

cmd=${1:-}
case "$cmd" in
  bindir)
    bindir
    ;;
  start)
    dir=${2:?usage: throwaway-postgres.sh start DIR}
    bin=$(bindir)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres "$dir"; chmod 700 "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        echo "the postgres user cannot write $dir (a parent directory is closed to it): use a directory such as /tmp/<name>" >&2
        exit 1
      fi
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
           -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
           start >/dev/null 2>&1; then
        echo "$port" > "$dir/port" 2>/dev/null || as_owner sh -c "echo $port > '$dir/port'"
        echo "$port"
        exit 0
      fi
    done
    cat "$dir/server.log" >&2 2>/dev/null || true
    exit 1
    ;;
  stop)
    dir=${2:?usage: throwaway-postgres.sh stop DIR}
    bin=$(bindir)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: throwaway-postgres.sh start DIR | stop DIR | bindir" >&2
    exit 2
    ;;
esac
