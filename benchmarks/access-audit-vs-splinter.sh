#!/usr/bin/env bash
# The database access audit beside Supabase's linter (splinter) on the same databases, in one run:
# a 30-table database and a 10,000-table one (20 schemas, all exposed through pgrst.db_schemas), each over
# the Supabase platform stub, with policies (some always true), SECURITY DEFINER functions and views.
#   audit:    the report's own time (startedAt to finishedAt) of one AuditRunner run in a fresh process
#             (benchmarks/AccessAudit), median of 3; plus the same work step by step, to show where it goes;
#   splinter: splinter.sql (all its lints in one query) through psql with \timing, median of 3.
# Target: audit <= 5 x splinter on both databases.
# splinter's SQL is not ours to ship: give the path of splinter.sql from a checkout of supabase/splinter.
# Usage: benchmarks/access-audit-vs-splinter.sh /path/to/splinter.sql [large tables=10000] [schemas=20]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
splinter=${1:?usage: access-audit-vs-splinter.sh /path/to/splinter.sql [tables] [schemas]}
large=${2:-10000}
schemas=${3:-20}
bash "$root/scripts/ensure-postgres.sh"
dotnet build -c Release -v:q -nologo "$root/benchmarks/AccessAudit" >/dev/null
bench="$root/benchmarks/AccessAudit/bin/Release/net10.0/AccessAudit"

pgdir=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-access-bench-pg.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/hotdash-access-bench.XXXXXX")
cleanup() { bash "$root/scripts/throwaway-postgres.sh" stop "$pgdir"; rm -rf "$work"; }
trap cleanup EXIT
port=$(bash "$root/scripts/throwaway-postgres.sh" start "$pgdir")
admin="postgresql://postgres@127.0.0.1:$port"
export PGOPTIONS='-c client_min_messages=error'

# A database of N tables over S schemas: every table with RLS; one in ten with an always-true UPDATE
# policy, the others with an owner policy; one SECURITY DEFINER function and one view per ten tables.
make_database() {
  local name=$1 tables=$2 nschemas=$3
  psql -q -v ON_ERROR_STOP=1 "$admin/postgres" -c "CREATE DATABASE $name"
  psql -q -v ON_ERROR_STOP=1 "$admin/$name" -f "$root/compliance-tests/HotDash.Compliance.Audit/Database/Platform/supabase-platform-stub.sql"
  python3 - "$tables" "$nschemas" > "$work/$name.sql" <<'PY'
import sys
tables, schemas = int(sys.argv[1]), int(sys.argv[2])
names = ["public"] if schemas == 1 else [f"tenant_{s}" for s in range(schemas)]
for s in names:
    if s != "public":
        print(f"CREATE SCHEMA {s}; GRANT USAGE ON SCHEMA {s} TO anon, authenticated, service_role;")
for t in range(tables):
    s = names[t % len(names)]
    n = f"{s}.t_{t}"
    if t % 200 == 0:
        print("COMMIT; BEGIN;")
    print(f"CREATE TABLE {n} (id bigint PRIMARY KEY, owner uuid, body text); ALTER TABLE {n} ENABLE ROW LEVEL SECURITY;")
    print(f"GRANT ALL ON {n} TO anon, authenticated, service_role;")
    if t % 10 == 0:
        print(f"CREATE POLICY p_{t} ON {n} FOR UPDATE TO authenticated USING (true);")
        print(f"CREATE FUNCTION {s}.f_{t}(x bigint) RETURNS bigint LANGUAGE sql SECURITY DEFINER AS 'SELECT x';")
        print(f"CREATE VIEW {s}.v_{t} WITH (security_invoker = true) AS SELECT id FROM {n};")
    else:
        print(f"CREATE POLICY p_{t} ON {n} FOR ALL TO authenticated USING (owner = (select auth.uid())) WITH CHECK (owner = (select auth.uid()));")
print("COMMIT;")
print(f"ALTER DATABASE {sys.argv[0] and ''}CURRENT_DB SET pgrst.db_schemas = '{', '.join(names)}';")
PY
  sed -i "s/ALTER DATABASE CURRENT_DB/ALTER DATABASE $name/" "$work/$name.sql"
  (echo "BEGIN;"; cat "$work/$name.sql") | psql -q -v ON_ERROR_STOP=1 "$admin/$name" >/dev/null
  psql -q "$admin/$name" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
  python3 - "$root/rules/canonical-stack.json" "$work/$name.rules.json" "$nschemas" <<'PY'
import json, sys
rules = json.load(open(sys.argv[1]))
n = int(sys.argv[3])
rules["database"]["rls"]["schemas"] = ["public"] if n == 1 else ["public"] + [f"tenant_{s}" for s in range(n)]
rules.pop("fly", None)
rules["$schema"] = "https://example.invalid/schema.json"
json.dump(rules, open(sys.argv[2], "w"))
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {
  local name=$1 label=$2
  local url="postgres://postgres@127.0.0.1:$port/$name"
  local audits=() splinters=()
  for i in 1 2 3; do
    audits+=("$("$bench" "$url" "$work/$name.rules.json" "$work/report-$name" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reportMs"])')")
    splinters+=("$( (echo '\timing on'; echo 'BEGIN;'; cat "$splinter"; echo ';'; echo 'ROLLBACK;') \
      | psql -q -X "$admin/$name" -o /dev/null 2>&1 | grep -E '^Time:' | sort -t: -k2 -n | tail -n 1 | sed -E 's/Time: ([0-9.]+) ms.*/\1/')")
  done
  local a s
  a=$(printf '%s\n' "${audits[@]}" | median)
  s=$(printf '%s\n' "${splinters[@]}" | median)
  echo "$label: audit ${a} ms (runs: ${audits[*]}), splinter ${s} ms (runs: ${splinters[*]}), ratio $(python3 -c "print(round($a/$s, 2))") (target <= 5)"
  echo "  where a fresh process spends it: $("$bench" "$url" "$work/$name.rules.json" "$work/report-$name" --phases)"
}

# Each database is measured right after it is made (and vacuumed), before the next one exists: creating
# 10,000 tables leaves the server busy (autovacuum, checkpoints) for a while, which would weigh on the
# small database's figures.
make_database small 30 1
measure small "30 tables"
make_database large "$large" "$schemas"
measure large "$large tables in $schemas schemas"
