#!/usr/bin/env bash
# The one root filesystem every kernel boots: Debian 12 (bookworm, this project's own base, so the
# host's Node and the addon built here run in it unchanged), minbase plus what the harness calls:
# iproute2 (ip, ss), procps, util-linux (unshare, taskset), libatomic1 (official Node 24+), kmod (modprobe, for the modules the
# kernel asks for: inet_diag, veth, ...). No network, no ssh, no systemd: the guest runs one script
# and powers off. Node, the checkout and each kernel's modules reach the guest read-only over 9p.
# Cached under .cache/kernels/ and rebuilt only when this script changes. Prints its folder.
#   scripts/kernels/rootfs.sh
set -euo pipefail
# shellcheck source=scripts/kernels/common.sh
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || fail "rootfs.sh needs root (mmdebstrap's root mode)"
build="$(sha256sum "$0" | cut -c1-12)"
dir="$cache/rootfs-$build"
mkdir -p "$cache"
# One build at a time (a second waits for the first), and a stale build is removed only where nothing
# is mounted under it: mmdebstrap mounts /proc, /sys and /dev inside the tree while it works.
exec 9>"$cache/.rootfs.lock"
flock 9
if [ ! -f "$dir/.done" ]; then
  for old in "$cache"/rootfs-*; do
    [ -e "$old" ] || continue
    if awk -v p="$old" '$2 == p || index($2, p "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then fail "$old has file systems mounted under it (an interrupted build?); unmount them (umount -R) and run again"; fi
    rm -rf --one-file-system "$old"
  done
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
