#!/usr/bin/env bash
# Installs what is missing, builds the release app, and serves it at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec node scripts/static-server.mjs dist "${PORT:-8080}"
