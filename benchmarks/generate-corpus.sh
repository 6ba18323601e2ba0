#!/usr/bin/env bash
# Writes the synthetic corpus used by analyzer-cost.sh: N files (default 2,000, about 180,000 lines) of
# ordinary C# with configuration reads, schema literals, structured-output calls and string literals.
# Usage: benchmarks/generate-corpus.sh <output directory> [files=2000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet run -c Release --project "$root/benchmarks/CorpusGenerator" -- "$@"
