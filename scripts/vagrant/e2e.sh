#!/usr/bin/env bash
# The Vagrant path end to end on this machine: a Debian 12 guest (kernel 6.1) against this host,
# through the same Vagrantfile and the same guest steps as scripts/compare-freebsd.sh
# (scripts/vagrant/guests.sh). Phases, each timed into OUT/phases.tsv:
#   host      the probe and the benchmark on this host, first, while no guest shares its CPUs
#   box       scripts/vagrant/box.sh: the box, built here from Debian's archive (cached)
#   boot      vagrant up linux --no-provision, under libvirt with QEMU's software emulation (TCG)
#   provision Node from the npm registry, npm install (the addon built in the guest)
#   run       the probe and the same benchmark inside the guest, as root
#   copy      the guest's result back with scp
#   destroy   vagrant destroy
#   compare   both results checked complete; a report each and one comparison page
# libvirtd, virtlogd and vagrant run inside the network namespace of scripts/vagrant/sandbox.sh.
# tcpdump watches this host's own interfaces all along (OUT/capture.tsv: every destination
# outside loopback); OUT/cleanup.tsv says what was left running or defined afterwards.
#   scripts/vagrant/e2e.sh [--out DIR]   # the whole thing (root; 20-40 min here)
#   scripts/vagrant/e2e.sh --check       # what is missing to run it, or nothing; exit 0 when it can run
# RB_RUN_ARGS overrides the benchmark options (the same on both sides).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
# --deadline-scale 10: in the emulated guest a Node process takes seconds to start (the same plan on both sides)
run_args=${RB_RUN_ARGS:-"--modes reuseport,shared --workers 2 --connections 8 --duration 2 --warmup 2 --trials 1 --churn 0 --deadline-scale 10"}
fail() { echo "vagrant-e2e: $*" >&2; exit 1; }
# shellcheck source=scripts/vagrant/guests.sh
source scripts/vagrant/guests.sh

export RB_LINUX_BOX=reuseport-bench/debian12 RB_LIBVIRT_DRIVER=qemu VAGRANT_DEFAULT_PROVIDER=libvirt VAGRANT_CHECKPOINT_DISABLE=1

# What this machine lacks to run it, all on one line (nothing when it can run): every missing tool with
# its Debian package, and one apt-get line for them all.
missing() {
  local why=() tools=() pkgs=() pair cmd pkg
  [ "$(id -u)" = 0 ] || why+=("root (a network namespace, libvirt's system daemon, mmdebstrap's root mode)")
  [ "$(uname -s)" = Linux ] || why+=("Linux")
  for pair in vagrant:vagrant virsh:libvirt-clients libvirtd:libvirt-daemon virtlogd:libvirt-daemon \
      qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils mmdebstrap:mmdebstrap mke2fs:e2fsprogs \
      slirp4netns:slirp4netns tcpdump:tcpdump ip:iproute2 unshare:util-linux scp:openssh-client \
      dnsmasq:dnsmasq-base iptables:iptables; do
    cmd=${pair%%:*} pkg=${pair#*:}
    PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1 && continue
    tools+=("$cmd")
    [[ " ${pkgs[*]} " == *" $pkg "* ]] || pkgs+=("$pkg")
  done
  [ -e /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so ] || [ -n "$(find /usr/lib -name 'libvirt_driver_qemu.so' -print -quit 2>/dev/null)" ] || { tools+=("libvirt's QEMU driver"); pkgs+=(libvirt-daemon-driver-qemu); }
  if command -v vagrant >/dev/null 2>&1 && ! vagrant plugin list 2>/dev/null | grep -q vagrant-libvirt; then tools+=("the vagrant-libvirt plugin"); pkgs+=(vagrant-libvirt); fi
  [ ${#tools[@]} -eq 0 ] || why+=("$(IFS=,; echo "${tools[*]}" | sed 's/,/, /g') (apt-get install ${pkgs[*]})")
  [ -f dist/src/cli/main.js ] || why+=("the harness built on this host (npm install)")
  [ ${#why[@]} -eq 0 ] || (IFS=';'; echo "${why[*]}" | sed 's/;/; /g')
  true
}

# NAME COMMAND...: runs it and appends NAME and its seconds to phases.tsv.
phase() {
  local name=$1 t0 t1
  shift
  t0=$(date +%s.%N)
  echo "== $name" >&2
  "$@"
  t1=$(date +%s.%N)
  awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s\t%.1f\n", n, b - a }' >> "$out/phases.tsv"
}

# The guest's phases, inside the sandbox: boot, provision, run, copy, destroy (also on failure).
in_sandbox() {
  trap 'vagrant destroy -f linux >/dev/null 2>&1 || true' EXIT
  phase boot vm_boot linux
  phase provision vm_provision linux
  # shellcheck disable=SC2086 # the options are words
  phase run vm_bench linux linux-vm $run_args
  phase copy vm_fetch linux "$out/linux-vm"
  phase destroy vagrant destroy -f linux
  trap - EXIT
}

host_run() {
  # shellcheck disable=SC2086 # the options are words
  node bin/reuseport-bench.js run --probe $run_args --label host --out "$out/host-runs"
  mkdir -p "$out/host"
  cp "$out/host-runs/latest/result.json" "$out/host/result.json"
}

compare_both() {
  check_complete "$out/host/result.json" host
  check_complete "$out/linux-vm/result.json" linux-vm
  node bin/reuseport-bench.js report "$out/host/result.json" --out "$out/host/report.html" >/dev/null
  node bin/reuseport-bench.js report "$out/linux-vm/result.json" --out "$out/linux-vm/report.html" >/dev/null
  node bin/reuseport-bench.js compare "$out/host/result.json" "$out/linux-vm/result.json" --names host,linux-vm --out "$out/compare.html" | tee "$out/compare.txt"
}

# Every destination of what tcpdump saw leave on this host's interfaces, and whether any is a
# private address outside our namespaces (the host's own resolver, from /etc/resolv.conf, listed apart).
capture_summary() {
  local resolvers
  resolvers=$(awk '$1 == "nameserver" { print $2 }' /etc/resolv.conf | paste -sd' ' -)
  # tcpdump -i any prints "IFACE Out IP SRC > DST: ..."; DST is a.b.c.d.PORT, a.b.c.d, or v6.PORT
  tcpdump -nn -r "$out/capture.pcap" 2>/dev/null | awk -v resolvers="$resolvers" '
    function private(a) { return a ~ /^10\./ || a ~ /^192\.168\./ || a ~ /^172\.(1[6-9]|2[0-9]|3[01])\./ || a ~ /^f[cd][0-9a-f]*:/ }
    $3 != "Out" || ($4 != "IP" && $4 != "IP6") { next }
    { dst = ""; for (i = 5; i < NF; i++) if ($i == ">") { dst = $(i + 1); break }
      sub(/:$/, "", dst); host = dst; port = ""
      if ($4 == "IP") { n = split(dst, p, "."); if (n == 5) { host = p[1] "." p[2] "." p[3] "." p[4]; port = p[5] } }
      else if (dst ~ /\.[0-9]+$/) { port = dst; sub(/.*\./, "", port); sub(/\.[0-9]+$/, "", host) }
      if (host ~ /^127\./ || host == "::1" || host == "") next
      kind = "public"
      if (index(" " resolvers " ", " " host " ") > 0 && port == "53") kind = "resolver"
      else if (private(host)) kind = "PRIVATE"
      count[kind "\t" host (port == "" ? "" : " port " port)]++ }
    END { for (k in count) print k "\t" count[k] }' | sort > "$out/capture.tsv"
}

cleanup_check() {
  local f="$out/cleanup.tsv" p
  : > "$f"
  if ip netns list | grep -qw rb-vagrant; then printf 'LEFT\tnetwork namespace rb-vagrant\n' >> "$f"; else printf 'ok\tnetwork namespace rb-vagrant removed\n' >> "$f"; fi
  for p in libvirtd virtlogd slirp4netns qemu-system-x86 dnsmasq tcpdump; do
    if pgrep "^$p" >/dev/null; then printf 'LEFT\t%s running (pid %s)\n' "$p" "$(pgrep "^$p" | paste -sd, -)" >> "$f"; else printf 'ok\tno %s running\n' "$p" >> "$f"; fi
  done
  if [ -f .vagrant/machines/linux/libvirt/id ]; then printf 'LEFT\tthe linux VM is still known to Vagrant\n' >> "$f"; else printf 'ok\tthe linux VM destroyed (Vagrant holds no id for it)\n' >> "$f"; fi
  if compgen -G ".cache/vagrant/libvirt/images/*_linux.img" >/dev/null; then printf 'LEFT\tthe VM disk in .cache/vagrant/libvirt/images\n' >> "$f"; else printf 'ok\tno VM disk left (the box base image stays cached)\n' >> "$f"; fi
  cat "$f"
}

case "${1:-}" in
  --check)
    m=$(missing)
    if [ -n "$m" ]; then echo "$m"; exit 1; fi
    exit 0 ;;
  --in-sandbox)
    out=$2
    in_sandbox
    exit 0 ;;
  --out) [ $# -eq 2 ] || fail "usage: $0 [--out DIR] | --check"; out=$2 ;;
  "") out="reports/vagrant-$(date -u +%Y-%m-%dT%H-%M-%SZ)" ;;
  *) fail "unknown argument: $1 (usage: $0 [--out DIR] | --check)" ;;
esac
m=$(missing)
[ -z "$m" ] || fail "cannot run here; missing: $(echo "$m" | paste -sd';' -)"
mkdir -p "$out"
out=$(cd "$out" && pwd)
: > "$out/phases.tsv"
echo "vagrant-e2e: the guest runs under QEMU's software emulation (TCG, libvirt domain type qemu): /dev/kvm here is not hardware virtualisation$(grep -qwE 'vmx|svm' /proc/cpuinfo && echo ' (this CPU has vmx/svm: RB_LIBVIRT_DRIVER=kvm would be faster)'); its throughput is the emulator's" >&2
phase host host_run
phase box scripts/vagrant/box.sh
tcpdump -i any -nn -s 128 -U -w "$out/capture.pcap" 'ip6 or not tcp or tcp[tcpflags] & tcp-syn != 0' 2> "$out/tcpdump.log" &
capture=$!
trap 'kill $capture 2>/dev/null || true' EXIT
sleep 1
RB_VM_CONSOLE="$out/console" "$root/scripts/vagrant/sandbox.sh" "$root/scripts/vagrant/e2e.sh" --in-sandbox "$out"
kill -INT "$capture"; wait "$capture" 2>/dev/null || true
trap - EXIT
capture_summary
phase compare compare_both
cleanup_check
echo "vagrant-e2e: phases (s): $(paste -sd' ' "$out/phases.tsv" | tr '\t' '=')"
echo "vagrant-e2e: destinations seen on this host's interfaces: $(cut -f1 "$out/capture.tsv" | sort | uniq -c | paste -sd, -)"
echo "vagrant-e2e: wrote $out (compare.html, phases.tsv, capture.tsv, cleanup.tsv)"
