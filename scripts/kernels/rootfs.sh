#!/usr/bin/env bash
# The one root filesystem every kernel boots: Debian 12 (bookworm, this project's own base, so the
# host's Node and the addon built here run in it unchanged), minbase plus what the harness calls:
# iproute2 (ip, ss), procps, util-linux (unshare, taskset), libatomic1 (official Node 24+), kmod (modprobe, for the modules the
# kernel asks for: inet_diag, veth, ...). No network, no ssh, no systemd: the guest runs one script
# and powers off. Node, the checkout and each kernel's modules reach the guest read-only over 9p.
# Cached under .cache/kernels/ and rebuilt only when this script changes. Prints its folder.
#   scripts/kernels/rootfs.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || fail "rootfs.sh needs root (mmdebstrap's root mode)"
build="$(sha256sum "$0" | cut -c1-12)"
dir="$cache/rootfs-$build"
if [ ! -f "$dir/.done" ]; then
  rm -rf "$cache"/rootfs-*
  mkdir -p "$cache"
  echo "kernels: building the root filesystem (bookworm minbase) in $dir" >&2
  mmdebstrap --variant=minbase --include=iproute2,procps,util-linux,kmod,libatomic1 \
    --aptopt='Acquire::Retries "3"' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    bookworm "$dir.tmp" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" >&2
  mkdir -p "$dir.tmp/rb" "$dir.tmp/rb-node" "$dir.tmp/rb-out"
  echo rb-kernel > "$dir.tmp/etc/hostname"
  printf '127.0.0.1 localhost rb-kernel\n::1 localhost\n' > "$dir.tmp/etc/hosts"
  touch "$dir.tmp/.done"
  mv "$dir.tmp" "$dir"
fi
echo "$dir"
