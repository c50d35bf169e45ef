#!/usr/bin/env bash
# Builds a small Debian 12 (bookworm) box for vagrant-libvirt from Debian's archive, with no
# Vagrant Cloud, and adds it as `reuseport-bench/debian12`:
#   - the root filesystem by mmdebstrap: systemd, openssh-server, sudo, the usual `vagrant` user
#     with Vagrant's insecure key, DHCP on eth0, Debian's kernel (linux-image-amd64, 6.1), and the
#     packages the Vagrantfile's provisioning installs, at their newest (bookworm, -updates and
#     -security), so emulated provisioning finds them and spends no time in dpkg;
#   - the CAs this host trusts beyond Debian's (/usr/local/share/ca-certificates), so a guest behind
#     the same TLS-inspecting proxy as its host can reach the registries (none on most hosts);
#   - one ext4 filesystem (mke2fs -d, no loop device, no partition table) converted to qcow2;
#   - the box's own Vagrantfile boots Debian's kernel and initrd directly (libvirt's direct kernel
#     boot), so the image needs no boot loader.
# Idempotent: the box is cached under .cache/vagrant/ (ignored by git) and rebuilt only when this
# script changes; it is (re)added only when Vagrant does not already have that build.
#   scripts/vagrant/box.sh          # prints the box's name
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
name=reuseport-bench/debian12
cache="$root/.cache/vagrant"
mirror=http://deb.debian.org/debian
size=8G
fail() { echo "vagrant-box: $*" >&2; exit 1; }
for cmd in mmdebstrap mke2fs qemu-img vagrant; do
  command -v "$cmd" >/dev/null 2>&1 || fail "$cmd is not installed (apt-get install mmdebstrap e2fsprogs qemu-utils vagrant)"
done
[ "$(id -u)" = 0 ] || fail "needs root (mmdebstrap's root mode keeps the files' owners for the image)"
key=$(find /usr/share/rubygems-integration /usr/lib/ruby /opt/vagrant -path '*/keys/vagrant.pub' 2>/dev/null | head -1 || true)
[ -n "$key" ] || fail "Vagrant's insecure public key (keys/vagrant.pub) was not found"
build="$(sha256sum "$0" | cut -c1-12)"
box="$cache/debian12-$build.box"
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb http://deb.debian.org/debian-security bookworm-security main")
packages=systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,openssh-server,sudo,ifupdown,isc-dhcp-client,iproute2,procps,kmod,ca-certificates,curl,xz-utils,rsync,python3,build-essential

# The root filesystem's settings: user, key, network, fstab, ssh.
configure_rootfs() {
  local fs=$1
  chroot "$fs" useradd -m -s /bin/bash -U vagrant
  echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$fs/etc/sudoers.d/vagrant"
  chmod 0440 "$fs/etc/sudoers.d/vagrant"
  install -d -m 0700 -o 1000 -g 1000 "$fs/home/vagrant/.ssh"
  install -m 0600 -o 1000 -g 1000 "$key" "$fs/home/vagrant/.ssh/authorized_keys"
  echo 'vagrant:vagrant' | chroot "$fs" chpasswd
  echo rb-debian12 > "$fs/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 rb-debian12\n' > "$fs/etc/hosts"
  printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' > "$fs/etc/fstab"
  printf 'auto lo\niface lo inet loopback\nallow-hotplug eth0\niface eth0 inet dhcp\n' > "$fs/etc/network/interfaces"
  printf 'UseDNS no\n' > "$fs/etc/ssh/sshd_config.d/vagrant.conf"
  printf '%s\n' "${sources[@]}" > "$fs/etc/apt/sources.list"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    echo "vagrant-box: adding this host's own CAs: $(cd /usr/local/share/ca-certificates && echo ./*.crt)" >&2
    cp /usr/local/share/ca-certificates/*.crt "$fs/usr/local/share/ca-certificates/"
    chroot "$fs" update-ca-certificates >/dev/null 2>&1
  fi
  : > "$fs/etc/machine-id"
  rm -f "$fs"/etc/ssh/ssh_host_*
  # a fresh host key on first boot, before sshd starts
  cat > "$fs/etc/systemd/system/rb-ssh-keys.service" <<'UNIT'
[Unit]
Description=Generate the ssh host keys on first boot
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A
[Install]
WantedBy=multi-user.target
UNIT
  chroot "$fs" systemctl enable rb-ssh-keys.service >/dev/null 2>&1
  chroot "$fs" apt-get clean
}

# The box's own Vagrantfile: direct kernel boot and the settings an emulated guest needs.
box_vagrantfile() {
  cat <<'RUBY'
# Made by reuseport-bench's scripts/vagrant/box.sh: Debian 12, booted by libvirt's direct kernel boot.
Vagrant.configure("2") do |config|
  config.vm.provider :libvirt do |lv|
    lv.kernel = File.join(File.dirname(__FILE__), "vmlinuz")
    lv.initrd = File.join(File.dirname(__FILE__), "initrd.img")
    lv.cmd_line = "root=/dev/vda rw console=ttyS0 net.ifnames=0 biosdevname=0"
    lv.disk_bus = "virtio"
  end
end
RUBY
}

build_box() {
  local work fs kernel
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  fs="$work/rootfs"
  echo "vagrant-box: debootstrapping bookworm from $mirror (mmdebstrap)" >&2
  mmdebstrap --quiet --mode=root --variant=apt --include="$packages" bookworm "$fs" "${sources[@]}" >&2
  configure_rootfs "$fs"
  kernel=$(find "$fs/boot" -name 'vmlinuz-*' -printf '%f\n' | sort -V | tail -1)
  [ -n "$kernel" ] || fail "no kernel in the root filesystem's /boot"
  cp "$fs/boot/$kernel" "$work/vmlinuz"
  cp "$fs/boot/initrd.img-${kernel#vmlinuz-}" "$work/initrd.img"
  echo "vagrant-box: $kernel; making the $size ext4 image" >&2
  truncate -s "$size" "$work/root.raw"
  mke2fs -q -t ext4 -L rootfs -d "$fs" "$work/root.raw"
  rm -rf "$fs"
  qemu-img convert -O qcow2 "$work/root.raw" "$work/box.img"
  rm -f "$work/root.raw"
  printf '{"provider":"libvirt","format":"qcow2","virtual_size":%d}\n' "${size%G}" > "$work/metadata.json"
  box_vagrantfile > "$work/Vagrantfile"
  tar -cf "$box.part" -C "$work" metadata.json Vagrantfile box.img vmlinuz initrd.img
  mv "$box.part" "$box"
  rm -rf "$work"
  trap - EXIT
}

if [ ! -f "$box" ]; then
  rm -f "$cache"/debian12-*.box
  build_box
else
  echo "vagrant-box: cached $box" >&2
fi
if [ "$(cat "$cache/added" 2>/dev/null)" != "$build" ] || ! vagrant box list 2>/dev/null | grep -q "^$name "; then
  vagrant box add --force --name "$name" --provider libvirt "$box" >&2
  # vagrant-libvirt uploads each build's image as a new volume (named by its time): drop the
  # earlier builds' from scripts/vagrant/sandbox.sh's pool.
  find "$cache/libvirt/images" -maxdepth 1 -name "${name//\//-VAGRANTSLASH-}_vagrant_box_image_*" -delete 2>/dev/null || true
  echo "$build" > "$cache/added"
fi
echo "$name"
