#!/usr/bin/env bash
# Analyzer cost: builds a synthetic corpus of N and 2N files with our analyzers AND
# Microsoft.CodeAnalysis.BannedApiAnalyzers (the same banned API in both) in the same build, and prints
# our analyzer time, BannedApiAnalyzers' time, their ratio, our share of the compile (Csc) time, and how
# our time scales from N to 2N files. Each figure is the median of R measured builds (analyzer times
# vary with GC and thread scheduling).  Usage: benchmarks/analyzer-cost.sh [N=2000] [R=3]
set -euo pipefail
n=${1:-2000}
repeats=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
out=${HOTDASH_BENCH_DIR:-${TMPDIR:-/tmp}/hotdash-bench}
mkdir -p "$out"

dotnet build "$root/analyzers/HotDash.Compliance.Analyzers" -c Release -nologo -v:q >/dev/null

measure() {
  local files=$1 dir="$out/corpus-$1"
  dotnet run --project "$root/benchmarks/CorpusGenerator" -c Release -- "$dir" "$files" >&2
  # Restore and a warm-up build (the compiler server starts, packages land), then the measured build.
  dotnet build "$dir/Corpus.csproj" -c Release -nologo -v:q -p:BuildProjectReferences=false >/dev/null
  local runs=()
  for r in $(seq 1 "$repeats"); do
    dotnet build "$dir/Corpus.csproj" -c Release -nologo --no-restore --no-incremental -p:BuildProjectReferences=false \
      -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary > "$dir/build-$r.log"
    runs+=("$(python3 "$root/benchmarks/parse-analyzer-report.py" "$dir/build-$r.log")")
  done
  printf '%s\n' "${runs[@]}" | python3 -c '
import json, statistics, sys
runs = [json.loads(line) for line in sys.stdin if line.strip()]
print(json.dumps({k: statistics.median(r[k] for r in runs) for k in ("hotdash_seconds", "banned_api_seconds", "csc_seconds")}))'

}

small=$(measure "$n")
large=$(measure "$((n * 2))")
python3 - "$n" "$small" "$large" <<'PY'
import json, sys
n, small, large = int(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
for files, r in ((n, small), (2 * n, large)):
    ratio = r["hotdash_seconds"] / r["banned_api_seconds"] if r["banned_api_seconds"] else float("inf")
    share = r["hotdash_seconds"] / r["csc_seconds"] if r["csc_seconds"] else float("nan")
    print(f"{files} files: HotDash analyzers {r['hotdash_seconds']:.3f} s, BannedApiAnalyzers {r['banned_api_seconds']:.3f} s, "
          f"ratio {ratio:.2f} (target <= 1.0), share of compile {share:.1%} (target <= 3%), Csc {r['csc_seconds']:.2f} s")
scaling = large["hotdash_seconds"] / small["hotdash_seconds"] if small["hotdash_seconds"] else float("nan")
print(f"scaling {n} -> {2 * n} files: x{scaling:.2f} (target <= 2.2)")
PY
