#!/usr/bin/env bash
# Boots one of Debian's kernels under QEMU with the shared root filesystem and runs OUT/plan.tsv in it
# (scripts/kernels/guest.sh), the results landing in OUT. Software emulation (TCG) unless /dev/kvm can
# run guests here (a vmx or svm CPU flag). The guest has no network card. QEMU is stopped when this
# script ends, fails, times out or is interrupted.
#   scripts/kernels/boot.sh NAME OUT [SECONDS]      # NAME: 5.10, 6.1, 6.12, newest
set -euo pipefail
# shellcheck source=scripts/kernels/common.sh
. "$(dirname "$0")/common.sh"
name=${1:?usage: boot.sh NAME OUT [SECONDS]} out=${2:?usage: boot.sh NAME OUT [SECONDS]} limit=${3:-900}
[ -f "$out/plan.tsv" ] || fail "$out/plan.tsv: no plan to run"
miss=$(missing_tools); [ -z "$miss" ] || fail "needs these Debian packages: $miss"
rootfs=$("$(dirname "$0")/rootfs.sh")
kdir=$("$(dirname "$0")/kernel.sh" "$name")
node_dir=${RB_GUEST_NODE_DIR:?set RB_GUEST_NODE_DIR to the folder of a Node build for the guest (bin/node)}
accel=tcg,thread=multi cpu=max
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm cpu=host; fi
share() { echo "local,path=$1,mount_tag=$2,security_model=none,multidevs=remap${3:+,readonly=on}"; }
qemu=""
stop() { [ -n "$qemu" ] && kill "$qemu" 2>/dev/null && wait "$qemu" 2>/dev/null; qemu=""; }
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
echo "kernels: $name: booting $(cat "$kdir/release") ($accel, 2 CPUs, 2 GiB), at most ${limit}s" >&2
qemu-system-x86_64 -name "rb-kernel-$name" -machine q35 -accel "$accel" -cpu "$cpu" -smp 2 -m 2048 \
  -nodefaults -display none -no-reboot -nic none -serial "file:$out/console.log" \
  -kernel "$kdir/vmlinuz" -initrd "$kdir/initrd.img" -append "console=ttyS0 panic=-1 quiet" \
  -virtfs "$(share "$rootfs" rootfs ro)" -virtfs "$(share "$(readlink -f "$kdir/modules")" modules ro)" \
  -virtfs "$(share "$root" checkout ro)" -virtfs "$(share "$node_dir" node ro)" \
  -virtfs "$(share "$out" out)" </dev/null &
qemu=$!
waited=0
while kill -0 "$qemu" 2>/dev/null; do
  if [ "$waited" -ge "$limit" ]; then stop; fail "$name: still running after ${limit}s; stopped (its console: $out/console.log)"; fi
  sleep 1; waited=$((waited + 1))
done
wait "$qemu" || true
qemu=""
[ -f "$out/finished" ] || fail "$name: the guest stopped before its last phase (its console: $out/console.log)"
echo "kernels: $name: done in ${waited}s" >&2
