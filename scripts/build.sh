#!/usr/bin/env bash
# Release build of the web app into dist/ (no download: Trunk runs offline with local tools).
# Extra arguments go to Trunk, e.g. `scripts/build.sh --public-url /outils/gestion-flux/`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release --offline "$@"
# Belt and braces: the post_build hook hashes the inline loader into the CSP; fail if it did not.
if grep -q CSP_INLINE_SCRIPT_HASHES dist/index.html; then
  echo "build: the CSP of dist/index.html was not completed" >&2; exit 1
fi
