#!/bin/sh
# The guest's first and only process (scripts/kernels/initramfs-init hands over to it): the usual
# mounts, loopback up (the guest has no network card: every load stays on its loopback or in
# namespaces the harness makes), then each phase of /rb-out/plan.tsv (NAME<TAB>ARGS of
# reuseport-bench, or NAME<TAB>!COMMAND for a shell command), timed into /rb-out/phases.tsv with its
# output in /rb-out/NAME.log, then power off. The checkout (/rb), Node (/rb-node) and the modules are
# read-only; /rb-out is the host's folder for this kernel.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
for d in /dev/shm /run /tmp; do mount -t tmpfs tmpfs "$d"; done
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /run/netns
ip link set lo up
hostname rb-kernel
export PATH=/rb-node/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
out=/rb-out
uname -r > "$out/release"
node --version > "$out/node" 2>&1
tab=$(printf '\t')
now() { cut -d' ' -f1 /proc/uptime; }
# shellcheck disable=SC2086 # the plan's arguments are words, split on purpose
run_harness() { (cd /tmp && timeout -k 10 "$limit" node /rb/bin/reuseport-bench.js $args) > "$out/$name.log" 2>&1; }
echo "rb-guest: $(uname -r), node $(cat "$out/node"), $(nproc) CPUs; phases from $out/plan.tsv"
while IFS="$tab" read -r name limit args; do
  [ -n "$name" ] || continue
  start=$(now)
  echo "rb-guest: $name: started at ${start}s"
  case "$args" in
    !*) (cd /tmp && timeout -k 10 "$limit" sh -c "${args#!}") > "$out/$name.log" 2>&1 ;;
    *) run_harness ;;
  esac
  rc=$?
  end=$(now)
  secs=$(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }')
  printf '%s\t%s\t%s\n' "$name" "$rc" "$secs" >> "$out/phases.tsv"
  echo "rb-guest: $name: exit $rc in ${secs}s"
done < "$out/plan.tsv"
echo finished > "$out/finished"
sync
echo "rb-guest: powering off"
echo o > /proc/sysrq-trigger
sleep 30
