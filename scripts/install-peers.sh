#!/usr/bin/env bash
# Installs the real nodes that the peer tests start: Debian packages (litecoind; chromium for the
# dashboard test; postgresql, version 15 on bookworm, for the PostgreSQL store tests) and Lodestar, which lives in peers/lodestar with its own lock file (a heavy install
# kept out of the main one).
# The EVM nodes (Anvil, Hardhat, Ganache) come with the main `npm ci`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$root/peers/lodestar/node_modules/.bin/lodestar" ]; then
  echo "install-peers: installing Lodestar into peers/lodestar (a few minutes: it compiles native crypto)" >&2
  (cd "$root/peers/lodestar" && npm ci --no-audit --no-fund --loglevel=error)
fi
missing=()
command -v litecoind >/dev/null 2>&1 || missing+=(litecoind)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-peers: need root to install ${missing[*]} (or install them yourself: apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
