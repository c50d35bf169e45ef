# Shared by scripts/kernels/*.sh: where the cache lives, which kernels we boot, one-line failures.
# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source it
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="$root/.cache/kernels"
mirror=http://deb.debian.org/debian
# Each kernel we boot, by name: the suite, the archive, and the package that names the suite's kernel.
# The four are Debian's; `jammy` is a control, booted only when asked: Ubuntu 22.04's release kernel
# (5.15.0-25, April 2022; its release pocket never changes), which has tcp_migrate_req and predates
# the 2026 fix of the migration wakeup, so the measurement is seen to tell the two apart.
KERNEL_NAMES=(5.10 6.1 6.12 newest)
CONTROL_NAMES=(jammy)
declare -A SUITE=([5.10]=bullseye [6.1]=bookworm [6.12]=trixie [newest]=sid [jammy]=jammy)
declare -A ARCHIVE=([jammy]=http://archive.ubuntu.com/ubuntu)
declare -A META=([jammy]=linux-image-generic)
fail() { echo "kernels: $*" >&2; exit 1; }
# Every tool the kernel path needs that this host lacks, as Debian packages, on one line (empty: none).
missing_tools() {
  local lacking=() pair cmd pkg
  for pair in qemu-system-x86_64:qemu-system-x86 mmdebstrap:mmdebstrap cpio:cpio modprobe:kmod \
      curl:curl xz:xz-utils zstd:zstd dpkg-deb:dpkg; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 || lacking+=("$pkg")
  done
  { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || lacking+=(busybox-static)
  echo "${lacking[*]}"
}
