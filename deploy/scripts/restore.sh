#!/bin/bash
# Restores a backup that backup.sh made into a compose deployment of Guiyan (deploy/README.md,
# "Backups"):
#
#   deploy/scripts/restore.sh [--nats] BACKUP
#
# Stops the services with a database, starts PostgreSQL (a fresh volume is initialised with each
# service's user from .env), then for each <database>.dump in BACKUP: drops the database,
# creates it anew owned by the service's user, and restores the dump as that user
# (`pg_restore --no-owner --role=<service>`). With --nats, JetStream's volume is replaced by
# BACKUP/nats-data.tar too. The services are left stopped: `docker-compose up -d` starts them,
# and each migrates its database to the release's newest revision before it serves.
# Run from the checkout (or set COMPOSE, lib/compose.sh).
set -euo pipefail
. "$(dirname "$0")/lib/compose.sh"

with_nats=false
if [ "${1:-}" = "--nats" ]; then
  with_nats=true
  shift
fi
[ $# -eq 1 ] || die "usage: restore.sh [--nats] BACKUP"
backup=${1%/}
[ -f "$backup/manifest.json" ] || die "$backup/manifest.json is missing: not a backup.sh backup"

# The SHA-256 the manifest gives a file of the backup.
recorded_checksum() {
  grep -o "\"file\": \"$1\", [^}]*\"sha256\": \"[0-9a-f]*\"" "$backup/manifest.json" \
    | sed 's/.*"sha256": "\([0-9a-f]*\)"/\1/'
}

verify() {
  local file=$1 recorded
  recorded=$(recorded_checksum "$file")
  [ -n "$recorded" ] || die "$backup/manifest.json does not list $file"
  [ "$(sha256sum "$backup/$file" | cut -d' ' -f1)" = "$recorded" ] \
    || die "$backup/$file does not match its checksum in the manifest: damaged or altered"
}

databases=()
for dump in "$backup"/*.dump; do
  [ -e "$dump" ] || die "$backup holds no *.dump"
  database=$(basename "$dump" .dump)
  # Each name becomes a service's, a user's and a database's name below.
  [[ $database =~ ^[a-z_][a-z0-9_]*$ ]] || die "$dump: not a service's database"
  verify "$database.dump"
  databases+=("$database")
done
if $with_nats; then
  [ -f "$backup/nats-data.tar" ] || die "$backup has no nats-data.tar: made without --nats"
  verify nats-data.tar
fi

# Each database is its service's, by name: nothing may write to it while it is replaced.
"${compose[@]}" stop "${databases[@]}"
"${compose[@]}" up --detach postgres
wait_for_postgres

for database in "${databases[@]}"; do
  [ "$(psql_at postgres -v name="$database" <<< "SELECT count(*) FROM pg_roles WHERE rolname = :'name'")" = 1 ] \
    || die "PostgreSQL has no user $database: is POSTGRES_PASSWORD_${database^^} in .env?"
  echo "restoring $database"
  psql_at postgres -v database="$database" <<'SQL'
DROP DATABASE IF EXISTS :"database" WITH (FORCE);
CREATE DATABASE :"database" OWNER :"database";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
  # As the service's user, so that it owns every table it restores, as if it had made them.
  in_postgres pg_restore --no-owner --role="$database" --single-transaction --exit-on-error \
    --dbname="$database" < "$backup/$database.dump"
done

if $with_nats; then
  echo "restoring JetStream's volume"
  "${compose[@]}" stop nats
  "${compose[@]}" up --no-start nats
  nats=$(container_of nats)
  docker run --rm -i --volumes-from "$nats" --entrypoint sh \
    "$(docker inspect --format '{{.Config.Image}}' "$nats")" \
    -c 'find /data -mindepth 1 -delete && tar -C /data -xf -' < "$backup/nats-data.tar"
fi

echo "restored ${databases[*]} from $backup; start the services: docker-compose up -d"
