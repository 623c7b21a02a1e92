#!/usr/bin/env bash
# Installs the Debian packages of the real nodes that the peer tests start (litecoind).
# The EVM nodes (Anvil, Hardhat, Ganache) come with `npm ci`.
set -euo pipefail
missing=()
command -v litecoind >/dev/null 2>&1 || missing+=(litecoind)
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
