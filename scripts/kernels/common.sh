# Shared by scripts/kernels/*.sh: where the cache lives, which kernels we boot, one-line failures.
# shellcheck shell=bash
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.cache/kernels"
mirror=http://deb.debian.org/debian
# Each kernel we boot, by name, and the Debian suite whose linux-image-amd64 it is.
KERNEL_NAMES=(5.10 6.1 6.12 newest)
declare -A SUITE=([5.10]=bullseye [6.1]=bookworm [6.12]=trixie [newest]=sid)
fail() { echo "kernels: $*" >&2; exit 1; }
# Every tool the kernel path needs that this host lacks, as Debian packages, on one line (empty: none).
missing_tools() {
  local miss=() pair cmd pkg
  for pair in qemu-system-x86_64:qemu-system-x86 mmdebstrap:mmdebstrap cpio:cpio modprobe:kmod \
      curl:curl xz:xz-utils zstd:zstd dpkg-deb:dpkg; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || miss+=("$pkg")
  done
  { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || miss+=(busybox-static)
  echo "${miss[*]}"
}
