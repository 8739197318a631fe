#!/bin/sh
# One-shot: Temporal's schemas on PostgreSQL (databases created by postgres-init.sql). Both steps are
# safe to repeat (setup-schema -v 0.0 only creates the version table; update-schema applies what is
# newer), and any failure fails the job, so the server never starts on a half-made schema.
set -eu
for db in temporal:temporal visibility:temporal_visibility; do
  dir=${db%%:*}
  name=${db#*:}
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u postgres --pw "$POSTGRES_PASSWORD" --db "$name" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep postgres -p 5432 -u postgres --pw "$POSTGRES_PASSWORD" --db "$name" \
    update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"
done
