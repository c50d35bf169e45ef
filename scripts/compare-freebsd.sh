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
guest_out=/home/vagrant/rb-results

fail() {
  echo "compare-freebsd: $*" >&2
  exit 1
}

# A result must be complete to be compared as a measurement.
check_complete() {
  local file=$1 vm=$2
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (d.status === "partial") { console.error("partial result: " + (d.failure && d.failure.message)); process.exit(3) }
  ' "$file" || fail "$vm: the result copied back is partial or unreadable ($file); not comparing it as complete"
}

run_in_vm() {
  local vm=$1
  echo "== $vm: bringing up and provisioning (first time: several minutes)"
  vagrant up "$vm" --provision || fail "$vm: 'vagrant up' failed (is Vagrant's provider installed and hardware virtualization enabled?)"
  echo "== $vm: probe and benchmark"
  # as root (sudo) so the probe's other-user rows run
  vagrant ssh "$vm" -c "cd /vagrant && rm -rf $guest_out && sudo npx reuseport-bench run --probe $run_args --label $vm-vm --out $guest_out && sudo chmod -R a+rX $guest_out" \
    || fail "$vm: the benchmark failed inside the VM (its output is above)"
}

fetch_from_vm() {
  local vm=$1 cfg host
  cfg=$(mktemp)
  vagrant ssh-config "$vm" > "$cfg" || fail "$vm: 'vagrant ssh-config' failed"
  host=$(awk '$1 == "Host" { print $2; exit }' "$cfg")
  mkdir -p "$out/$vm"
  scp -F "$cfg" -q -r "$host:$guest_out/latest/." "$out/$vm/" || fail "$vm: could not copy the results back with scp"
  rm -f "$cfg"
  [ -f "$out/$vm/result.json" ] || fail "$vm: no result.json came back"
}

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
  run_in_vm "$vm"
  fetch_from_vm "$vm"
done
compare "$out/linux/result.json" "$out/freebsd/result.json"
if [ "${RB_HALT:-0}" = "1" ]; then vagrant halt; fi
