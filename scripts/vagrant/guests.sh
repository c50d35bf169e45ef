# shellcheck shell=bash
# What every guest goes through, whichever script drives it (scripts/compare-freebsd.sh for Linux
# against FreeBSD, scripts/vagrant/e2e.sh for a Debian guest against this host): bring it up,
# provision it, run the probe and a benchmark inside it as root, copy the result back, and check
# that the result is complete before anything compares it. Sourced; the caller defines `fail`.

guest_out=/home/vagrant/rb-results

# Boots VM (creating it the first time) without provisioning it.
vm_boot() {
  vagrant up "$1" --no-provision || fail "$1: 'vagrant up' failed (is Vagrant's provider installed, and hardware virtualisation enabled or RB_LIBVIRT_DRIVER=qemu set?)"
}

# Runs VM's provisioning: Node, the build tools, npm install in /vagrant.
vm_provision() {
  vagrant provision "$1" || fail "$1: provisioning failed (its output is above)"
}

# VM, LABEL, then the run's options: the probe and the benchmark in /vagrant, as root (sudo) so the
# probe's other-user rows run; the checkout's own CLI (npx would install the package into npm's cache).
vm_bench() {
  local vm=$1 label=$2
  shift 2
  vagrant ssh "$vm" -c "cd /vagrant && rm -rf $guest_out && sudo node bin/reuseport-bench.js run --probe $* --label $label --out $guest_out && sudo chmod -R a+rX $guest_out" \
    || fail "$vm: the benchmark failed inside the VM (its output is above)"
}

# VM, DEST: copies the guest's latest result folder into DEST with scp, over Vagrant's ssh settings.
vm_fetch() {
  local vm=$1 dest=$2 cfg host
  cfg=$(mktemp)
  vagrant ssh-config "$vm" > "$cfg" || fail "$vm: 'vagrant ssh-config' failed"
  host=$(awk '$1 == "Host" { print $2; exit }' "$cfg")
  mkdir -p "$dest"
  scp -F "$cfg" -q -r "$host:$guest_out/latest/." "$dest/" || fail "$vm: could not copy the results back with scp"
  rm -f "$cfg"
  [ -f "$dest/result.json" ] || fail "$vm: no result.json came back"
}

# FILE, NAME: a result must be complete to be compared as a measurement.
check_complete() {
  local file=$1 name=$2
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (d.status === "partial") { console.error("partial result: " + (d.failure && d.failure.message)); process.exit(3) }
  ' "$file" || fail "$name: the result is partial or unreadable ($file); not comparing it as complete"
}
