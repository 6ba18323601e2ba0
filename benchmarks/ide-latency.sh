#!/usr/bin/env bash
# IDE latency: BenchmarkDotNet run of all HotDash analyzers over one typical document
# (samples/HotDash.AgentService/Agent/AgentTools.cs). Target: median under 5 ms.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet run -c Release --project benchmarks/IdeLatency -- --filter '*' "$@"
