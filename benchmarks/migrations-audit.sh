#!/usr/bin/env bash
# The migrations audit as a pull request runs it, timed: a 27-migration, 35-table Supabase project (the first
# three real whisper-of-hope migrations from the engine's TestData, then 24 generated ones: tables with RLS and
# policies, one always-true, definer functions, views), `dotnet test` of the suite with HOTDASH_MIGRATIONS,
# from the command's start to its end: the throwaway PostgreSQL's start and stop, the platform stub, the
# migrations, the audit, the proofs, the attack simulation (two tenants seeded, every attempt) and the report
# included (the suite is built beforehand; the build is timed separately). Median of 3. Target: <= 20 s on 2 cores.
# Usage: benchmarks/migrations-audit.sh [runs=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
bash "$root/scripts/ensure-postgres.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-migrations-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/supabase/migrations"
ls "$root"/compliance-tests/HotDash.Compliance.Audit.Tests/TestData/supabase/projects/whisper-of-hope/migrations/*.sql | sort | head -n 3 \
  | while read -r f; do cp "$f" "$work/supabase/migrations/"; done
for i in $(seq 1 24); do
  n=$(printf '%02d' "$i")
  cat > "$work/supabase/migrations/202601${n}000000_feature_${n}.sql" <<SQL
CREATE TABLE public.feature_${n} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner uuid NOT NULL REFERENCES auth.users (id), title text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
ALTER TABLE public.feature_${n} ENABLE ROW LEVEL SECURITY;
CREATE POLICY "own rows" ON public.feature_${n} FOR ALL TO authenticated USING ((select auth.uid()) = owner) WITH CHECK ((select auth.uid()) = owner);
$( [ $((i % 5)) = 0 ] && echo "CREATE POLICY \"everyone edits\" ON public.feature_${n} FOR UPDATE TO authenticated USING (true);" )
CREATE FUNCTION public.feature_${n}_count() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS \$\$ SELECT count(*) FROM public.feature_${n} \$\$;
REVOKE EXECUTE ON FUNCTION public.feature_${n}_count() FROM PUBLIC, anon;
CREATE VIEW public.feature_${n}_titles WITH (security_invoker = true) AS SELECT id, title FROM public.feature_${n};
SQL
done
python3 - "$root/rules/canonical-stack.json" "$work/hotdash.rules.json" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1])); rules.pop("fly", None); rules["$schema"] = "https://example.invalid/schema.json"
json.dump(rules, open(sys.argv[2], "w"))
PY

start=$(date +%s.%N)
dotnet build -c Release -v:q -nologo "$root/samples/HotDash.Compliance.Checks" >/dev/null
echo "build of the suite: $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s (not counted)"

times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  HOTDASH_MIGRATIONS=supabase/migrations HOTDASH_RULES="$work/hotdash.rules.json" HOTDASH_REPO_ROOT="$work" HOTDASH_REPORT_DIR="$work/report" \
    dotnet test "$root/samples/HotDash.Compliance.Checks" -c Release --no-build >"$work/run-$i.log" 2>&1 || true
  elapsed=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
  times+=("$elapsed")
  summary=$(python3 -c "import json; r = json.load(open('$work/report/compliance-report.json')); print(' | '.join(r['summary'][:4]))")
  echo "run $i: ${elapsed} s  ($summary)"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "migrations audit with the attack simulation, 27 migrations, dotnet test start to end: median ${median} s (runs: ${times[*]}) (target <= 20 s)"
