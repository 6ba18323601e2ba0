#!/usr/bin/env bash
# The main job on the bundled sample: the compliance suite in its pull-request mode on the Supabase
# migrations of samples/supabase (applied by the suite to a disposable PostgreSQL on loopback), the Chatwoot
# fly.toml and a `fly machines list --json` snapshot of samples/fly, and the evidence report.
# The sample carries the deliberate drifts (one table of seven without RLS, an always-true update policy,
# a SECURITY DEFINER function anyone can call, a Chatwoot worker at
# 1024 MB where 2048 MB are required, a machine that differs from fly.toml), so the suite FAILS,
# as it must; the exit code is the suite's.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/ensure-postgres.sh" || exit 1

# The structured-output audit reads the compiled agent service. The build-time analyzers are off for
# this build: the sample carries deliberate analyzer errors, and here the assembly is what is audited.
# The sample's obj/ is shared with any other build of it (the repository's tests build it too, from another
# process): one build at a time, by a lock file, where flock exists.
mkdir -p "$root/artifacts"
lock=(); command -v flock >/dev/null 2>&1 && lock=(flock "$root/artifacts/.sample-build.lock")
"${lock[@]}" dotnet build "$root/samples/HotDash.AgentService" -nologo -v:q -p:RunAnalyzers=false -o "$root/samples/HotDash.AgentService/bin/audit" || exit 1

# The database half, as a pull request runs it: the suite starts a throwaway PostgreSQL on loopback, lays the
# Supabase platform stub, applies samples/supabase/migrations in file-name order, audits the result, proves
# every exposure as the API role in rolled-back transactions, and removes the server.
export HOTDASH_MIGRATIONS="$root/samples/supabase/migrations"
unset HOTDASH_DATABASE_URL
export HOTDASH_RULES="$root/samples/hotdash.rules.json"
export HOTDASH_REPO_ROOT="$root/samples"
export HOTDASH_FLY_MACHINES="hotdash-chatwoot=$root/samples/fly/chatwoot/machines.json"
export HOTDASH_REPORT_DIR="${HOTDASH_REPORT_DIR:-$root/artifacts/sample-audit}"

dotnet test "$root/samples/HotDash.Compliance.Checks" --logger "console;verbosity=normal"
status=$?
echo
echo "Evidence report: $HOTDASH_REPORT_DIR/compliance-report.md (and compliance-report.json)"
exit $status
