// The FreeBSD branches of the addon compile here: SO_REUSEPORT_LB defined (to
// FreeBSD's value) and plain SO_REUSEPORT marked as not balancing. Compile
// only, never run. The sin_len lines cannot be compiled against Linux headers.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { scratch } from '../scratch.js'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
const require = createRequire(import.meta.url)

/** Node's headers, as node-gyp found them for the real build (build/config.gypi). */
function nodeInclude (): string {
  const gypi = readFileSync(path.join(ROOT, 'build', 'config.gypi'), 'utf8')
  const m = /"nodedir":\s*"([^"]+)"/.exec(gypi)
  const dirs = [m?.[1] !== undefined ? path.join(m[1], 'include', 'node') : '', path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node')]
  const found = dirs.find(d => d !== '' && existsSync(path.join(d, 'node_api.h')))
  assert.ok(found !== undefined, `node headers not found in ${dirs.join(', ')}`)
  return found
}

function compile (out: string, defines: string[]): Buffer {
  const addonApi = (require('node-addon-api') as { include_dir: string }).include_dir
  const obj = path.join(out, `reuseport${defines.length}.o`)
  const args = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-fPIC', '-c', '-O1',
    '-DNAPI_VERSION=8', '-DNODE_ADDON_API_DISABLE_CPP_EXCEPTIONS', ...defines,
    `-I${nodeInclude()}`, `-I${path.resolve(ROOT, addonApi)}`,
    path.join(ROOT, 'src/native/reuseport.cc'), '-o', obj]
  execFileSync(process.env.CXX ?? 'c++', args, { stdio: 'pipe' })
  return readFileSync(obj)
}

test('addon compiles with the FreeBSD branches forced on (-DSO_REUSEPORT_LB, not balancing)', () => {
  const out = scratch('rb-cc-')
  try {
    const plain = compile(out, [])
    const forced = compile(out, ['-DSO_REUSEPORT_LB=0x00010000', '-DRB_REUSEPORT_BALANCES=0']) // FreeBSD's <sys/socket.h> value
    // The #ifdef SO_REUSEPORT_LB branches are compiled in: the object code differs from the Linux build's.
    assert.notDeepEqual(forced, plain)
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
})
