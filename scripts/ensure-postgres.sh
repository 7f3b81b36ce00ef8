#!/usr/bin/env bash
# Prints the base URL (postgres://postgres@HOST:PORT) of a PostgreSQL server
# this machine can use with trust authentication. Order:
#   1. ZEUGO_PG_BASE_URL, if set (you manage the server);
#   2. a server answering on 127.0.0.1:5432 (our developer and CI machines);
#   3. the private cluster of this checkout in .data/pg on port 55432,
#      installing PostgreSQL from Debian and creating the cluster on first use.
# Diagnostics go to stderr; stdout carries only the URL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
port=55432

if [ -n "${ZEUGO_PG_BASE_URL:-}" ]; then echo "$ZEUGO_PG_BASE_URL"; exit 0; fi
reachable() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if reachable 5432; then echo "postgres://postgres@127.0.0.1:5432"; exit 0; fi
if reachable "$port"; then echo "postgres://postgres@127.0.0.1:$port"; exit 0; fi

sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "ensure-postgres: no PostgreSQL server answers; installing Debian's postgresql" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data="$root/.data/pg"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$data"
chmod 0711 "$root/.data"
if [ ! -f "$data/PG_VERSION" ]; then
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
  echo "ensure-postgres: creating a private cluster in .data/pg (port $port)" >&2
  as_pg "$bin/initdb" -D "$data" --auth=trust -U postgres -E UTF8 >&2
fi
as_pg "$bin/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" \
  -l "$data/server.log" -w start >&2
echo "postgres://postgres@127.0.0.1:$port"
