#!/usr/bin/env bash
# What the kernel path needs and this host lacks, on one line; exit 1 when anything is missing.
#   scripts/kernels/check.sh
set -euo pipefail
# shellcheck source=scripts/kernels/common.sh
. "$(dirname "$0")/common.sh"
why=()
[ "$(id -u)" = 0 ] || why+=("root (mmdebstrap's root mode and the guest's files)")
miss=$(missing_tools)
[ -z "$miss" ] || why+=("these Debian packages: $miss (apt-get install $miss)")
if [ ${#why[@]} -gt 0 ]; then
  msg=$(IFS=';'; echo "${why[*]}"); echo "kernels: needs ${msg//;/; and }"
  exit 1
fi
echo "kernels: ready (qemu $(qemu-system-x86_64 --version | head -1 | awk '{print $4}'), cache in $cache)"
