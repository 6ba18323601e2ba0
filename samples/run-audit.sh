#!/usr/bin/env bash
# The main job on the bundled sample: a disposable PostgreSQL on loopback, the Supabase-style
# migrations of samples/supabase, the compliance suite against it, and the evidence report.
# plus the Chatwoot fly.toml and a `fly machines list --json` snapshot of samples/fly.
# The sample carries the deliberate drifts (one table of seven without RLS, an always-true update policy,
# a SECURITY DEFINER function anyone can call, a Chatwoot worker at
# 1024 MB where 2048 MB are required, a machine that differs from fly.toml), so the suite FAILS,
# as it must; the exit code is the suite's.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/ensure-postgres.sh" || exit 1

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-sample-pg.XXXXXX")
cleanup() { bash "$root/scripts/throwaway-postgres.sh" stop "$pgdir"; }
trap cleanup EXIT
port=$(bash "$root/scripts/throwaway-postgres.sh" start "$pgdir") || exit 1
echo "disposable PostgreSQL on 127.0.0.1:$port"

admin="postgresql://postgres@127.0.0.1:$port"
psql "$admin/postgres" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE hotdash" || exit 1
# What a Supabase project holds before its first migration (roles, default grants, auth, storage).
echo "laying the Supabase platform stub"
# (client_min_messages: a loopback server has no logical replication, and says so when the stub creates
# Supabase's publication.)
PGOPTIONS='-c client_min_messages=error' psql "$admin/hotdash" -v ON_ERROR_STOP=1 -q \
  -f "$root/compliance-tests/HotDash.Compliance.Audit/Database/Platform/supabase-platform-stub.sql" || exit 1
for migration in "$root"/samples/supabase/migrations/*.sql; do
  echo "applying $(basename "$migration")"
  psql "$admin/hotdash" -v ON_ERROR_STOP=1 -q -f "$migration" || exit 1
done
# The structured-output audit reads the compiled agent service. The build-time analyzers are off for
# this build: the sample carries deliberate analyzer errors, and here the assembly is what is audited.
dotnet build "$root/samples/HotDash.AgentService" -nologo -v:q -p:RunAnalyzers=false -o "$root/samples/HotDash.AgentService/bin/audit" || exit 1

auditor_password="sample-$(date +%s)-$RANDOM"
psql "$admin/hotdash" -v ON_ERROR_STOP=1 -q -v auditor_password="$auditor_password" -f "$root/samples/supabase/audit-role.sql" || exit 1

export HOTDASH_DATABASE_URL="postgres://hotdash_auditor:$auditor_password@127.0.0.1:$port/hotdash"
export HOTDASH_RULES="$root/samples/hotdash.rules.json"
export HOTDASH_REPO_ROOT="$root/samples"
export HOTDASH_FLY_MACHINES="hotdash-chatwoot=$root/samples/fly/chatwoot/machines.json"
export HOTDASH_REPORT_DIR="${HOTDASH_REPORT_DIR:-$root/artifacts/sample-audit}"

dotnet test "$root/compliance-tests/HotDash.Compliance.Suite" --logger "console;verbosity=normal"
status=$?
echo
echo "Evidence report: $HOTDASH_REPORT_DIR/compliance-report.md (and compliance-report.json)"
exit $status
