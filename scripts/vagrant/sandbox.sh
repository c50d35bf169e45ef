#!/usr/bin/env bash
# Runs one command with vagrant-libvirt's provider started by us, inside a network namespace we
# create, so every bridge, NAT and DHCP address of libvirt's (its management network is
# 192.168.121.0/24) lives in that namespace and never on this host's interfaces:
#   - the namespace `rb-vagrant` reaches out only through slirp4netns (user-mode NAT in one
#     process on the host: the guest's downloads leave as that process's own connections, and
#     the namespace cannot reach the host's loopback: --disable-host-loopback);
#   - in a private mount namespace inside it, libvirt's config, state and sockets are ours
#     (.cache/vagrant/libvirt/, tmpfs for /etc/libvirt and /run/libvirt), with QEMU run as root,
#     no cgroups and no security driver: these machines have no systemd;
#   - virtlogd and libvirtd are started there, and stopped, with the namespace, when the command
#     ends, fails or is interrupted.
#   scripts/vagrant/sandbox.sh vagrant up linux
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ns=rb-vagrant
state="$root/.cache/vagrant/libvirt"
fail() { echo "vagrant-sandbox: $*" >&2; exit 1; }

# LIBVIRTD VIRTLOGD: whatever domain the command left running or defined is destroyed with its
# disks (the box's base image stays in the pool's folder), then the daemons are stopped.
stop_daemons() {
  local d
  for d in $(virsh -q -c qemu:///system list --all --name 2>/dev/null); do
    echo "vagrant-sandbox: destroying the domain $d, left by the command" >&2
    virsh -q -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
    virsh -q -c qemu:///system undefine "$d" --remove-all-storage >/dev/null 2>&1 || true
  done
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  kill "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}

inside() {
  mkdir -p "$state/lib" "$state/images" "$state/logs"
  mount -t tmpfs rb-libvirt-etc /etc/libvirt
  mkdir -p /run/libvirt && mount -t tmpfs rb-libvirt-run /run/libvirt
  mkdir -p /var/lib/libvirt && mount --bind "$state/lib" /var/lib/libvirt
  # libvirtd resolves its built-in QEMU user before it reads qemu.conf (which says root): give it
  # that user and group in this mount namespace only, as libvirt-daemon-system would on the host.
  { cat /etc/passwd; grep -q '^libvirt-qemu:' /etc/passwd || echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin'; } > "$state/passwd"
  { cat /etc/group; grep -q '^libvirt-qemu:' /etc/group || echo 'libvirt-qemu:x:64055:'; } > "$state/group"
  mount --bind "$state/passwd" /etc/passwd
  mount --bind "$state/group" /etc/group
  printf 'nameserver 10.0.2.3\n' > "$state/resolv.conf"
  mount --bind "$state/resolv.conf" /etc/resolv.conf
  cat > /etc/libvirt/qemu.conf <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
remember_owner = 0
CONF
  printf 'unix_sock_group = "root"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n' > /etc/libvirt/libvirtd.conf
  ip link set lo up
  virtlogd -p /run/libvirt/virtlogd.pid > "$state/logs/virtlogd.log" 2>&1 &
  local vl=$!
  libvirtd -p /run/libvirt/libvirtd.pid > "$state/logs/libvirtd.log" 2>&1 &
  local lv=$!
  # shellcheck disable=SC2064 # the pids are known now
  trap "stop_daemons $lv $vl" EXIT
  local i
  for i in $(seq 1 100); do
    virsh -q -c qemu:///system version >/dev/null 2>&1 && break
    kill -0 "$lv" 2>/dev/null || fail "libvirtd exited at start: $(tail -3 "$state/logs/libvirtd.log")"
    sleep 0.1
  done
  [ "$i" -lt 100 ] || fail "libvirtd did not answer within 10 s ($state/logs/libvirtd.log)"
  virsh -q -c qemu:///system pool-create-as default dir --target "$state/images" >/dev/null
  echo "vagrant-sandbox: libvirtd $(libvirtd --version | awk '{print $NF}') and virtlogd started in namespace $ns (pids $lv, $vl)" >&2
  "$@"
}

if [ "${1:-}" = "--inside" ]; then
  shift
  inside "$@"
  exit $?
fi
[ $# -gt 0 ] || fail "usage: $0 COMMAND [ARGS...]"
[ "$(id -u)" = 0 ] || fail "needs root (a network namespace and libvirt's system daemon)"
for cmd in ip slirp4netns libvirtd virtlogd virsh unshare; do
  command -v "$cmd" >/dev/null 2>&1 || fail "$cmd is not installed (apt-get install iproute2 slirp4netns libvirt-daemon-driver-qemu libvirt-clients util-linux)"
done
if ip netns list | grep -qw "$ns"; then fail "network namespace $ns exists already: another run is going on, or an old one was killed (ip netns del $ns)"; fi
ip netns add "$ns"
slirp=""
# Nothing of ours outlives the command: whatever still runs in the namespace (a QEMU that
# libvirtd left behind, say) is stopped, then slirp4netns, then the namespace goes.
cleanup() {
  local pids
  pids=$(ip netns pids "$ns" 2>/dev/null | paste -sd' ' -)
  if [ -n "$pids" ]; then
    echo "vagrant-sandbox: stopping what was left in $ns: $(ps -o comm= -p "${pids// /,}" | paste -sd, -)" >&2
    # shellcheck disable=SC2086 # a list of pids
    kill $pids 2>/dev/null || true
    sleep 2
    pids=$(ip netns pids "$ns" 2>/dev/null | paste -sd' ' -)
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  fi
  [ -z "$slirp" ] || { kill "$slirp" 2>/dev/null; wait "$slirp" 2>/dev/null || true; }
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$state/logs"
slirp4netns --configure --mtu=65520 --disable-host-loopback --netns-type=path "/run/netns/$ns" tap0 > "$state/logs/slirp4netns.log" 2>&1 &
slirp=$!
for _ in $(seq 1 50); do
  ip -n "$ns" -4 addr show tap0 2>/dev/null | grep -q 10.0.2.100 && break
  sleep 0.1
done
ip -n "$ns" -4 addr show tap0 2>/dev/null | grep -q 10.0.2.100 || fail "slirp4netns did not configure tap0 in $ns ($state/logs/slirp4netns.log)"
ip netns exec "$ns" unshare --mount --propagation private "$0" --inside "$@"
