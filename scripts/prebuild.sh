#!/usr/bin/env bash
# Builds the Node-API prebuilds the package ships, the way prebuildify lays them out and
# node-gyp-build finds them: prebuilds/linux-<arch>/node.napi.glibc.node, for x64 (this machine's
# g++) and arm64 (Debian's g++-aarch64-linux-gnu, cross). One build serves every Node with
# Node-API 8 (Node 20 and later), so there is one file per CPU, not per Node version.
#   scripts/prebuild.sh                # both
#   scripts/prebuild.sh x64            # one
# Reproducible: each arch builds in the same folder (.cache/prebuild/<arch>), from the same
# sources, headers and compiler, with no timestamps, and is stripped, so the same inputs give the
# same bytes; prebuilds/manifest.json records the inputs and each file's SHA-256.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x64 arm64)

# The tools each arch needs, all named on one line when any is missing.
missing=()
for a in "${arches[@]}"; do
  case "$a" in
    x64) command -v g++ >/dev/null || missing+=(g++) ;;
    arm64) command -v aarch64-linux-gnu-g++ >/dev/null || missing+=(g++-aarch64-linux-gnu) ;;
    *) echo "prebuild: arch must be x64 or arm64, got '$a'" >&2; exit 2 ;;
  esac
done
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
[ ${#missing[@]} -eq 0 ] || { echo "prebuild: missing ${missing[*]}; install them (apt-get install ${missing[*]})" >&2; exit 1; }

gyp="$root/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { echo "prebuild: node-gyp is not installed here; run npm install first" >&2; exit 1; }
# Node's headers: the ones npm builds against on this machine (npm config nodedir), else node-gyp's own.
nodedir="$(npm config get nodedir 2>/dev/null || true)"
[ "$nodedir" != "undefined" ] && [ -n "$nodedir" ] && [ -f "$nodedir/include/node/node_api.h" ] || nodedir=""
headers="$nodedir/include/node"
if [ -n "$nodedir" ]; then
  v="$(grep -E '#define NODE_(MAJOR|MINOR|PATCH)_VERSION ' "$nodedir/include/node/node_version.h" | awk '{print $3}' | paste -sd.)"
  headers="$headers (Node $v)"
fi
[ -n "$headers" ] || headers="node-gyp's download for $(node --version)"

export SOURCE_DATE_EPOCH=0
# One arch's prebuild, in a folder of its own: the arches build at the same time, each with make -j
# (their sources, headers and compiler are their own, so the bytes are the same as one at a time).
build_arch() {
  local a="$1" work cross strip cxx args out
  work="$root/.cache/prebuild/$a"
  rm -rf "$work"
  mkdir -p "$work/src"
  cp binding.gyp "$work/"
  cp -r src/native "$work/src/"
  ln -s "$root/node_modules" "$work/node_modules"
  if [ "$a" = arm64 ]; then
    cross=(CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar)
    strip=aarch64-linux-gnu-strip
    cxx=aarch64-linux-gnu-g++
  else
    cross=()
    strip="strip"
    cxx=g++
  fi
  echo "prebuild: linux-$a with $($cxx --version | head -1)" >&2
  args=(rebuild --arch="$a" --release --jobs max)
  [ -z "$nodedir" ] || args+=(--nodedir="$nodedir")
  (cd "$work" && env "${cross[@]}" CXXFLAGS="-ffile-prefix-map=$work=." node "$gyp" "${args[@]}" >build.log 2>&1) ||
    { echo "prebuild: linux-$a failed; the compiler's output is in $work/build.log" >&2; tail -5 "$work/build.log" >&2; return 1; }
  out="prebuilds/linux-$a"
  mkdir -p "$out"
  "$strip" --strip-unneeded -o "$out/node.napi.glibc.node.part" "$work/build/Release/reuseport.node"
  mv "$out/node.napi.glibc.node.part" "$out/node.napi.glibc.node"
}
pids=()
for a in "${arches[@]}"; do
  build_arch "$a" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" -eq 0 ] || exit 1

# The manifest: every prebuild present, with what made it and the newest glibc symbol it needs.
entries=()
for f in prebuilds/linux-*/node.napi.glibc.node; do
  a="${f#prebuilds/linux-}"; a="${a%%/*}"
  case "$a" in arm64) cxx=aarch64-linux-gnu-g++ ;; *) cxx=g++ ;; esac
  command -v "$cxx" >/dev/null || cxx=""
  glibc="$(readelf --dyn-syms --wide "$f" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)"
  glibcxx="$(readelf --dyn-syms --wide "$f" | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1)"
  entries+=("$(printf '"linux-%s": { "file": "%s", "bytes": %s, "sha256": "%s", "needs": "%s%s", "compiler": "%s" }' \
    "$a" "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)" "$glibc" "${glibcxx:+ $glibcxx}" \
    "$([ -n "$cxx" ] && $cxx --version | head -1)")")
done
{
  echo '{'
  echo '  "what": "Node-API 8 prebuilds of the addon (src/native, binding.gyp), built by scripts/prebuild.sh; node-gyp-build loads the one that fits",'
  printf '  "headers": "%s",\n' "$headers"
  echo '  "prebuilds": {'
  for i in "${!entries[@]}"; do
    sep=,; [ "$i" -lt $((${#entries[@]} - 1)) ] || sep=""
    echo "    ${entries[$i]}$sep"
  done
  echo '  }'
  echo '}'
} > prebuilds/manifest.json.part
mv prebuilds/manifest.json.part prebuilds/manifest.json
cat prebuilds/manifest.json
