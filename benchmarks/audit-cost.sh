#!/usr/bin/env bash
# Audit cost: 10,000 tables in 20 schemas (half without RLS, with policies and views) on a throwaway
# PostgreSQL, audited end to end; then 1,000 fly.toml files. Prints times, round trips and memory.
# Targets: database < 2 s with round trips independent of the table count; fly.toml < 1 s.
# Usage: benchmarks/audit-cost.sh [tables=10000] [schemas=20] [flyFiles=1000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/ensure-postgres.sh"
dotnet run -c Release --project "$root/benchmarks/AuditCost" -- "$@"
