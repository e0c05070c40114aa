#!/bin/bash
# Run once by the postgres image on an empty data directory: a database and an owner per service, each with the
# password of its secret (/run/secrets/<service>_db_password), as the services' DB_PASSWORD_FILE read it.
set -euo pipefail
for service in order inventory warehouse shipper notification; do
  password="$(tr -d '\n' < "/run/secrets/${service}_db_password")"
  psql -v ON_ERROR_STOP=1 --username postgres \
       --set=user="${service}_user" --set=password="$password" --set=database="${service}_db" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"user";
SQL
done
