#!/usr/bin/env bash
# One of Debian's kernels, ready to boot: its package from the suite's linux-image-amd64 (checked
# against the archive's SHA256), unpacked, modules.dep made by depmod, and a small initramfs of our
# own (busybox, and the modules that mount the shared root: 9p over virtio and overlayfs).
# Cached under .cache/kernels/NAME/; delete that folder to take the suite's newest again.
# Prints the folder (vmlinuz, initrd.img, modules/, release, package).
#   scripts/kernels/kernel.sh 5.10|6.1|6.12|newest|jammy
set -euo pipefail
# shellcheck source=scripts/kernels/common.sh
. "$(dirname "$0")/common.sh"
name=${1:?which kernel: ${KERNEL_NAMES[*]}}
suite=${SUITE[$name]:-}
[ -n "$suite" ] || fail "unknown kernel '$name'; known: ${KERNEL_NAMES[*]} (and the control: ${CONTROL_NAMES[*]})"
mirror=${ARCHIVE[$name]:-$mirror}
meta_pkg=${META[$name]:-linux-image-amd64}
dir="$cache/$name"
build="$(cat "$0" "$(dirname "$0")/initramfs-init" | sha256sum | cut -c1-12)"
[ -f "$dir/.done-$build" ] && { echo "$dir"; exit 0; }
mkdir -p "$dir"
# The archive's record of one package, by exact name.
record() { awk -v RS= -v FS='\n' -v p="Package: $1" '{ for (i = 1; i <= NF; i++) if ($i == p) { print; exit } }' "$dir/Packages"; }
field() { sed -n "s/^$1: //p" | head -1; }
if [ ! -f "$dir/package" ]; then
  echo "kernels: $name: reading $suite's package index" >&2
  curl -fsS --retry 3 "$mirror/dists/$suite/main/binary-amd64/Packages.xz" | xz -dc > "$dir/Packages"
  meta=$(record "$meta_pkg")
  pkg=$(echo "$meta" | field Depends | tr ',' '\n' | sed 's/^ *//; s/ .*//' | { grep '^linux-image-' || true; } | head -1)
  [ -n "$pkg" ] || fail "$name: $suite's $meta_pkg names no kernel package"
  rec=$(record "$pkg")
  version=$(echo "$rec" | field Version)
  [ -n "$version" ] || fail "$name: no record of $pkg in $suite"
  # Newer kernels split the image: the vmlinuz and the modules are packages of their own.
  parts=$( { echo "$rec" | field Depends; echo "$meta" | field Depends; } | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//' | { grep -E '^linux-(binary|modules|modules-extra)-' || true; } | sort -u)
  rm -rf "$dir/pkg"
  for part in "$pkg" $parts; do
    prec=$(record "$part")
    file=$(echo "$prec" | field Filename) sum=$(echo "$prec" | field SHA256)
    [ -n "$file" ] && [ -n "$sum" ] || fail "$name: no record of $part in $suite"
    echo "kernels: $name: downloading $part ($version)" >&2
    curl -fsS --retry 3 -o "$dir/part.deb" "$mirror/$file"
    echo "$sum  $dir/part.deb" | sha256sum -c --quiet - || fail "$name: $file does not match the archive's SHA256"
    dpkg-deb -x "$dir/part.deb" "$dir/pkg"
  done
  rm -f "$dir/part.deb" "$dir/Packages"
  printf '%s %s %s\n' "$pkg" "$version" "$suite" > "$dir/package"
fi
# Merged /usr: depmod -b and the guest look under lib/modules.
[ -d "$dir/pkg/lib" ] || ln -s usr/lib "$dir/pkg/lib"
release=$(ls "$dir/pkg/lib/modules" 2>/dev/null | head -1)
[ -n "$release" ] || fail "$name: the package holds no modules"
echo "$release" > "$dir/release"
image=$(cd "$dir" && find pkg \( -name "vmlinuz-$release" -o -path "*/modules/$release/vmlinuz" \) | head -1)
[ -n "$image" ] || fail "$name: the packages hold no vmlinuz-$release"
ln -sf "$image" "$dir/vmlinuz"
ln -sfn "pkg/lib/modules/$release" "$dir/modules"
depmod -b "$dir/pkg" "$release" 2>/dev/null
# The initramfs: busybox and the modules (decompressed, in load order) that mount 9p and overlayfs.
ird="$dir/initramfs"
rm -rf "$ird"; mkdir -p "$ird"/{bin,mods,proc,sys,dev,newroot,lower,upper}
cp /bin/busybox "$ird/bin/busybox"
: > "$ird/mods/order"
for m in virtio_pci 9pnet_virtio 9p overlay; do
  # not found: built in (newer packages list no modules.builtin); the guest says so if it is not
  { modprobe -d "$dir/pkg" -S "$release" --show-depends "$m" 2>/dev/null || true; } | while read -r how path _; do
    [ "$how" = insmod ] || continue
    base=$(basename "$path"); out="${base%.xz}"; out="${out%.zst}"
    grep -qx "$out" "$ird/mods/order" && continue
    case "$path" in
      *.xz) xz -dc "$path" > "$ird/mods/$out" ;;
      *.zst) zstd -qdc "$path" > "$ird/mods/$out" ;;
      *) cp "$path" "$ird/mods/$out" ;;
    esac
    echo "$out" >> "$ird/mods/order"
  done
done
install -m 0755 "$(dirname "$0")/initramfs-init" "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir/initrd.img"
rm -rf "$ird"
rm -f "$dir"/.done-*; touch "$dir/.done-$build"
echo "$dir"
