#!/bin/bash
# On the first start (an empty data volume): make the cluster, then run each script of
# /docker-entrypoint-initdb.d (*.sh sourced, *.sql through psql) against a server that listens
# on no address. Then, every time: PostgreSQL in this process's place.
set -euo pipefail

initialise() {
  # Local connections (the init scripts, `docker-compose exec postgres psql`) by Unix user;
  # over the network only with a password, checked by SCRAM, each user to its own database.
  initdb --pgdata="$PGDATA" --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  {
    echo "host sameuser all 0.0.0.0/0 scram-sha-256"
    echo "host sameuser all ::/0 scram-sha-256"
  } >> "$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  pg_ctl --pgdata="$PGDATA" --wait --silent -o "-c listen_addresses=''" start
  for script in /docker-entrypoint-initdb.d/*; do
    case $script in
      *.sh) echo "init: $script"; . "$script" ;;
      *.sql) echo "init: $script"; psql -v ON_ERROR_STOP=1 --quiet --no-psqlrc -f "$script" ;;
    esac
  done
  pg_ctl --pgdata="$PGDATA" --wait --silent -m fast stop
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # A first start that fails leaves no half-made cluster behind, which the next start would
  # take for a finished one.
  trap 'pg_ctl --pgdata="$PGDATA" --silent -m immediate stop >/dev/null 2>&1 || true
        rm -rf "${PGDATA:?}"/*
        echo "init failed: the data directory is emptied; fix the cause and start again" >&2' EXIT
  initialise
  trap - EXIT
fi

exec postgres -D "$PGDATA" "$@"
