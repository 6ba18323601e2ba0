#!/usr/bin/env python3
"""Reads a `dotnet build -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary` log of ONE project and
prints, as JSON, the analyzer time per assembly, HotDash's and BannedApiAnalyzers' totals, and the Csc time."""
import json
import re
import sys

log = open(sys.argv[1], encoding="utf-8", errors="replace").read()
blocks = log.split("Total analyzer execution time:")
if len(blocks) != 2:
    sys.exit(f"expected exactly one analyzer report in {sys.argv[1]}, found {len(blocks) - 1}")

assemblies = {}
for line in blocks[1].splitlines()[3:]:
    # Top-level rows: "   0.241   53   Assembly.Name, Version=..."; analyzer rows are indented further.
    top = re.match(r"^(\s*)(<?[0-9.]+)\s+<?\d+\s{3}([^ ,][^,]*), Version=", line)
    if top and len(top.group(1)) <= 12:
        seconds = 0.0005 if top.group(2).startswith("<") else float(top.group(2))
        assemblies[top.group(3)] = assemblies.get(top.group(3), 0.0) + seconds
    if "Task Performance Summary" in line:
        break

csc = re.search(r"^\s+(\d+) ms\s+Csc\s+\d+ calls", log, re.MULTILINE)
hotdash = sum(v for k, v in assemblies.items() if k.startswith("HotDash.Compliance"))
banned = sum(v for k, v in assemblies.items() if "BannedApiAnalyzers" in k)
print(json.dumps({
    "hotdash_seconds": round(hotdash, 3),
    "banned_api_seconds": round(banned, 3),
    "csc_seconds": round(int(csc.group(1)) / 1000, 3) if csc else None,
    "assemblies": {k: round(v, 3) for k, v in sorted(assemblies.items(), key=lambda kv: -kv[1])},
}))
