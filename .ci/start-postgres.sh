#!/usr/bin/env bash
# Starts a throwaway Postgres on a free 127.0.0.1 port (54329 if free) for the DATABASE_URL tests; prints the URL.
set -euo pipefail
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
if [ -z "$bin" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
fi
id postgres >/dev/null 2>&1 || useradd --system postgres
port=$(node -e '
const net = require("node:net");
const tryPort = (p) => { const s = net.createServer(); s.once("error", () => tryPort(0)); s.listen(p, "127.0.0.1", () => { const a = s.address().port; s.close(() => console.log(a)); }); };
tryPort(54329);')
dir=$(mktemp -d /tmp/brickyard-pg.XXXXXX)
chown postgres "$dir"
# postgres refuses to run as root, so it runs as the postgres user
runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U brickyard --auth=trust >/dev/null
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/log" -w start >/dev/null || { cat "$dir/log" >&2; exit 1; }
runuser -u postgres -- "$bin/createdb" -h 127.0.0.1 -p "$port" -U brickyard brickyard_test 2>/dev/null || "$bin/createdb" -h 127.0.0.1 -p "$port" -U brickyard brickyard_test
echo "postgres://brickyard@127.0.0.1:$port/brickyard_test"
