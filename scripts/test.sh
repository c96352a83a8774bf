#!/usr/bin/env bash
# Runs every test: engine (native cargo test), components (wasm-bindgen-test in headless Chromium),
# and end to end (release build served on 127.0.0.1, driven by Playwright in headless Chromium).
# Installs what is missing first (scripts/setup.sh), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "Engine and import: cargo test (native)"
cargo test --locked

step "Components: wasm-bindgen-test in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked --target wasm32-unknown-unknown --test web

step "Release build (Trunk, offline)"
scripts/build.sh

step "Command line (release), used by the end-to-end tests as the reference engine"
cargo build --release --locked --bin flux

step "End to end: Playwright + headless Chromium on the release build"
node --test --test-concurrency=1 tests/e2e/
