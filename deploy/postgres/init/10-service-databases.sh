# Sourced by the postgres entrypoint on first start. One database and one user per service, each
# user owning only its own database: no service can read another's tables. The services are
# those with a password in the environment, POSTGRES_PASSWORD_<SERVICE> (`make env`); psql
# reads the password from the environment itself, so it is on no command line and in no log.
for variable in $(compgen -e | grep '^POSTGRES_PASSWORD_' || true); do
  service=$(echo "${variable#POSTGRES_PASSWORD_}" | tr '[:upper:]' '[:lower:]')
  if [ -z "${!variable}" ]; then
    echo "init: $variable is empty" >&2
    exit 1
  fi
  echo "init: database and user $service"
  psql -v ON_ERROR_STOP=1 --quiet --no-psqlrc -v service="$service" -v variable="$variable" <<'SQL'
\getenv password :variable
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
done
