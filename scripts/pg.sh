# Sourced by scripts/test and bench/run: start a throw-away PostgreSQL cluster on a free port
# of 127.0.0.1 and remove it on exit. Sets PG_URL (admin URL) or leaves it empty if
# PostgreSQL cannot be found or installed.
PG_BIN=""
PG_DIR=""
PG_URL=""

pg_find() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN="$d"; done
  if [ -z "$PG_BIN" ] && command -v initdb >/dev/null; then PG_BIN=$(dirname "$(command -v initdb)"); fi
}

pg_run() {
  # initdb refuses to run as root: run the server as the postgres user then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_stop() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

pg_start() {
  pg_find
  if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
      echo "Installing PostgreSQL from Debian's packages"
      ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
        ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null || true
      pg_find
    fi
  fi
  [ -n "$PG_BIN" ] || return 1
  PG_DIR=$(mktemp -d /tmp/village-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

# Make a new empty database in the cluster and print its URL.
pg_new_database() {
  local name="village_$1_$$_$RANDOM"
  "$PG_BIN/psql" -q "$PG_URL" -c "CREATE DATABASE $name" >/dev/null
  echo "${PG_URL%/postgres}/$name"
}

# A new empty database for a benchmark, committing as PostgreSQL does by default (waiting for
# the log to be written): with the test cluster's synchronous_commit=off a VACUUM straight
# after a big write may leave pages unmarked in the visibility map, and the figures then
# depend on when the WAL writer ran.
pg_new_bench_database() {
  local url
  url=$(pg_new_database "$1")
  "$PG_BIN/psql" -q "$url" -c "ALTER DATABASE ${url##*/} SET synchronous_commit = on" >/dev/null
  echo "$url"
}
