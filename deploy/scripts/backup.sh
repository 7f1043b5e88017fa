#!/bin/bash
# Backs up a compose deployment of Guiyan (deploy/README.md, "Backups"):
#
#   deploy/scripts/backup.sh [--nats] [DIRECTORY]
#
# Writes DIRECTORY/<UTC time>/ (DIRECTORY: ./backups), mode 0700:
#   <database>.dump     each service's database, `pg_dump --format=custom`
#   manifest.json       when, which databases, the Alembic revision each is at, their SHA-256
#   nats-data.tar       with --nats: JetStream's volume, copied while NATS is stopped
# PostgreSQL stays up and the services keep serving: each dump is one consistent snapshot.
# Run from the checkout (or set COMPOSE, lib/compose.sh) while the deployment is running.
set -euo pipefail
. "$(dirname "$0")/lib/compose.sh"

with_nats=false
if [ "${1:-}" = "--nats" ]; then
  with_nats=true
  shift
fi
[ $# -le 1 ] || die "usage: backup.sh [--nats] [DIRECTORY]"

# The dumps hold people's names and password hashes: for the operator's eyes only.
umask 077
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="${1:-backups}/$stamp"
partial="$target.partial"
mkdir -p "$partial"
# A backup that fails part-way is left as *.partial, never taken for a whole one.
trap '[ ! -d "$partial" ] || echo "backup failed: $partial is incomplete" >&2' EXIT

# The services' databases only: restore.sh stops and restores each as its service's, so a
# database an operator added by hand is theirs to back up.
databases=$(psql_at postgres -c "SELECT datname FROM pg_database
  WHERE datname IN ('registry', 'matching', 'notification') ORDER BY datname")
[ -n "$databases" ] || die "no service database to back up"

entries=()
for database in $databases; do
  echo "dumping $database"
  in_postgres pg_dump --format=custom --dbname="$database" > "$partial/$database.dump"
  # A database never started by its service has no alembic_version: its revision is null.
  revision=null
  if [ "$(psql_at "$database" -c "SELECT to_regclass('alembic_version') IS NOT NULL")" = t ]; then
    revision="\"$(psql_at "$database" -c "SELECT string_agg(version_num, ',') FROM alembic_version")\""
  fi
  checksum=$(sha256sum "$partial/$database.dump" | cut -d' ' -f1)
  entries+=("    \"$database\": {\"file\": \"$database.dump\", \"alembic_revision\": $revision, \"sha256\": \"$checksum\"}")
done

nats_entry=null
if $with_nats; then
  nats=$(container_of nats)
  [ -n "$nats" ] || die "the project has no nats container"
  echo "copying JetStream's volume (NATS stops meanwhile; the services' outboxes hold what they write)"
  "${compose[@]}" stop nats
  # NATS starts again whatever the copy did.
  if docker run --rm --volumes-from "$nats" --entrypoint tar "$(docker inspect --format '{{.Config.Image}}' "$nats")" \
       -C /data -cf - . > "$partial/nats-data.tar"; then
    copied=true
  else
    copied=false
  fi
  "${compose[@]}" start nats
  $copied || die "copying JetStream's volume failed"
  nats_entry="{\"file\": \"nats-data.tar\", \"sha256\": \"$(sha256sum "$partial/nats-data.tar" | cut -d' ' -f1)\"}"
fi

server=$(psql_at postgres -c "SHOW server_version")
{
  echo "{"
  echo "  \"created\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"postgres_version\": \"$server\","
  echo "  \"databases\": {"
  (IFS=$'\n'; echo "${entries[*]}" | sed '$!s/$/,/')
  echo "  },"
  echo "  \"nats\": $nats_entry"
  echo "}"
} > "$partial/manifest.json"
mv "$partial" "$target"
echo "$target"
