#!/usr/bin/env bash
# Linux vs FreeBSD, VM against VM on this host (see Vagrantfile and the README):
# brings up both VMs, runs the same probe and benchmark suite inside each,
# copies the results back and writes one comparison report:
#   reports/compare-<timestamp>/compare.html
#
#   scripts/compare-freebsd.sh                      # the whole thing (Vagrant + a provider needed)
#   scripts/compare-freebsd.sh --from-results L F   # only the host side: import two result.json files and compare
#
# RB_RUN_ARGS overrides the benchmark options used in both VMs; RB_HALT=1 halts the VMs afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=$(date -u +%Y-%m-%dT%H-%M-%SZ)
out="reports/compare-$stamp"
run_args=${RB_RUN_ARGS:-"--modes reuseport,reuseport-plain,shared,cluster,single --workers 4 --connections 50 --duration 10 --warmup 2 --churn 0"}

fail() {
  echo "compare-freebsd: $*" >&2
  exit 1
}

# shellcheck source=scripts/vagrant/guests.sh
source scripts/vagrant/guests.sh

compare() {
  local linux=$1 freebsd=$2
  check_complete "$linux" linux
  check_complete "$freebsd" freebsd
  node bin/reuseport-bench.js report "$linux" --out "$out/linux/report.html" >/dev/null
  node bin/reuseport-bench.js report "$freebsd" --out "$out/freebsd/report.html" >/dev/null
  node bin/reuseport-bench.js compare "$linux" "$freebsd" --names linux-vm,freebsd-vm --out "$out/compare.html"
  echo "comparison: $out/compare.html"
}

if [ "${1:-}" = "--from-results" ]; then
  [ $# -eq 3 ] || fail "usage: $0 --from-results LINUX_RESULT.json FREEBSD_RESULT.json"
  [ -f "$2" ] || fail "no such file: $2"
  [ -f "$3" ] || fail "no such file: $3"
  mkdir -p "$out/linux" "$out/freebsd"
  cp "$2" "$out/linux/result.json"
  cp "$3" "$out/freebsd/result.json"
  compare "$out/linux/result.json" "$out/freebsd/result.json"
  exit 0
fi
[ $# -eq 0 ] || fail "unknown argument: $1 (usage: $0 [--from-results LINUX.json FREEBSD.json])"

command -v vagrant >/dev/null 2>&1 || fail "vagrant is not installed (and a provider: VirtualBox or libvirt)"
command -v node >/dev/null 2>&1 || fail "node is not installed on this host (run npm install first)"
[ -f dist/src/cli/main.js ] || fail "the harness is not built on this host: run npm install"

for vm in linux freebsd; do
  echo "== $vm: bringing up and provisioning (first time: several minutes)"
  vm_boot "$vm"
  vm_provision "$vm"
  echo "== $vm: probe and benchmark"
  # shellcheck disable=SC2086 # the options are words
  vm_bench "$vm" "$vm-vm" $run_args
  vm_fetch "$vm" "$out/$vm"
done
compare "$out/linux/result.json" "$out/freebsd/result.json"
if [ "${RB_HALT:-0}" = "1" ]; then vagrant halt; fi
