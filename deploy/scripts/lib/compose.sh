# Sourced by backup.sh and restore.sh: the compose project they act on, and PostgreSQL inside it.
#
# COMPOSE: the docker-compose command naming the project, split on spaces (default
# `docker-compose`, the project of the current directory), e.g.
#   COMPOSE="docker-compose --project-name guiyan --env-file /etc/guiyan/.env"

read -ra compose <<< "${COMPOSE:-docker-compose}"

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# The id of a service's container, running or stopped; empty when it has none.
container_of() {
  "${compose[@]}" ps --all --quiet "$1" 2>/dev/null | head -n 1
}

# psql as the superuser, by Unix user inside the postgres container; stdin passes through.
# `docker exec` rather than `compose exec`: it streams binary dumps unaltered.
in_postgres() {
  local postgres
  postgres=$(container_of postgres)
  [ -n "$postgres" ] || die "the project has no postgres container: is COMPOSE right?"
  docker exec -i "$postgres" "$@"
}

psql_at() {
  local database=$1
  shift
  in_postgres psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 --tuples-only --no-align \
    --dbname="$database" "$@"
}

# Waits until PostgreSQL answers over TCP, as the services connect: the server the first start
# runs for its init scripts answers only on its socket, before the services' users exist.
wait_for_postgres() {
  local tries=0
  until in_postgres pg_isready --quiet --host=127.0.0.1 --username=postgres 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 120 ] || die "PostgreSQL did not answer within 2 minutes"
    sleep 1
  done
}
