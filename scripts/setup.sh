#!/usr/bin/env bash
# Idempotent set-up: installs only what is missing, never downloads from GitHub.
# Measured first-time cost on a fresh 2-core machine: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# 1. Rust target for the browser.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version of Cargo.lock (Trunk only uses it from PATH if equal).
want_wb=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
have_wb=$( (wasm-bindgen --version 2>/dev/null || true) | awk '{print $2}')
if [ "$have_wb" != "$want_wb" ]; then
  say "cargo install wasm-bindgen-cli --version $want_wb (about 4 min)"
  # Not --locked: its lockfile wants a webpki-roots version this registry does not serve.
  cargo install wasm-bindgen-cli --version "$want_wb"
fi

# 3. Trunk 0.21.14 (0.22 needs a newer rustc than this machine has).
if [ "$( (trunk --version 2>/dev/null || true) | awk '{print $2}')" != "0.21.14" ]; then
  say "cargo install trunk --version 0.21.14 --locked (about 10 min)"
  cargo install trunk --version 0.21.14 --locked
fi

# 4. Chromium and its driver for the browser tests (Debian packages; no browser download).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 5. npm packages (DSFR, official geography, playwright-core, binaryen's wasm-opt) from the lock.
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.lock-sum 2>/dev/null || true)" != "$lock_sum" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --ignore-scripts
  echo "$lock_sum" > node_modules/.lock-sum
fi

# 6. Crates, so that Trunk can build with --offline.
cargo fetch --locked
say "ok"
