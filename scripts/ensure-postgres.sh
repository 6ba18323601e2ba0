#!/usr/bin/env bash
# Makes sure PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) are on this machine.
# Installs Debian's 'postgresql' package when they are missing. Starts nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if "$here/throwaway-postgres.sh" bindir >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; then
  exit 0
fi
echo "PostgreSQL binaries not found: installing the Debian package 'postgresql'" >&2
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq postgresql postgresql-client >/dev/null
"$here/throwaway-postgres.sh" bindir >/dev/null
