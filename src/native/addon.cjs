'use strict'
/**
 * Where the native addon is, and the package's install step. One function,
 * `locate`, finds it for both: node-gyp-build's own search (build/Release
 * first, a local build; then prebuilds/<platform>-<arch>/ for a Node-API
 * prebuild whose tags fit: glibc or musl, the CPU). src/native/index.ts loads
 * what it finds; `npm install` runs this file, which does nothing when an
 * addon that loads is there, builds one with node-gyp when a compiler is
 * there, and otherwise installs anyway and says once, in one line, what to
 * install: the first command that needs the addon stops with the same line.
 * CommonJS and without our other modules, because it runs before dist/ is
 * built (in a clean clone, npm runs `install` before `prepare`).
 */
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const ROOT = path.join(__dirname, '..', '..')

/** This machine's C library, as node-gyp-build names it. */
function libc () {
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return report !== null && report.header !== undefined && report.header.glibcVersionRuntime === undefined && process.platform === 'linux' ? 'musl' : 'glibc'
}

/** The line that says no addon fits and what to install (the same at install and at first use). */
function missingLine (why) {
  return `no native addon for ${process.env.npm_config_platform || process.platform}-${process.env.npm_config_arch || process.arch} (${libc()}): ${why}; install python3, make and a C++ compiler (Debian: apt-get install python3 make g++; Alpine: apk add python3 make g++), then run \`npm rebuild reuseport-bench\``
}

/**
 * The addon to load: `{ path, origin }` (origin 'built here' or 'prebuild linux-x64'), or
 * `{ missing }`, the one line saying none fits.
 */
function locate () {
  let found
  try {
    found = require('node-gyp-build').resolve(ROOT)
  } catch {
    return { missing: missingLine('no prebuild fits this machine and none was built here') }
  }
  const rel = path.relative(ROOT, found).split(path.sep)
  return { path: found, origin: rel[0] === 'prebuilds' ? `prebuild ${rel[1]}` : 'built here' }
}

/** Loads what `locate` found: `{ addon, origin }`, or `{ missing }` with the one line. */
function loadAddon () {
  const where = locate()
  if (where.missing !== undefined) return where
  try {
    return { addon: require(where.path), origin: where.origin }
  } catch (err) {
    const first = String(err instanceof Error ? err.message : err).split('\n')[0]
    return { missing: missingLine(`the ${where.origin === 'built here' ? 'local build' : where.origin} does not load here (${first})`) }
  }
}

/** Whether a command answers `--version` (present and working; a stub that fails is not). */
function works (cmd) {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 20_000 })
  return r.status === 0
}

/** npm's install step: nothing when an addon loads, a build when a compiler can, else one line. */
function install () {
  const found = loadAddon()
  if (found.addon !== undefined) return 0
  const tools = ['python3', 'make', 'c++']
  const absent = tools.filter(t => !works(t))
  if (absent.length > 0) {
    process.stderr.write(`reuseport-bench: installed without its native addon: ${found.missing} (not found or not working: ${absent.join(', ')}); until then, every command that needs the addon stops with this line\n`)
    return 0
  }
  // npm hands its own node-gyp to install scripts; in a clone, the devDependency.
  let gyp = process.env.npm_config_node_gyp
  if (gyp === undefined || gyp === '') {
    try { gyp = require.resolve('node-gyp/bin/node-gyp.js') } catch { gyp = undefined }
  }
  // --jobs max: the addon's sources compile side by side, one per CPU (make -j).
  const args = ['rebuild', '--jobs', 'max']
  const r = gyp === undefined
    ? spawnSync('node-gyp', args, { cwd: ROOT, stdio: 'inherit' })
    : spawnSync(process.execPath, [gyp, ...args], { cwd: ROOT, stdio: 'inherit' })
  return r.status ?? 1
}

module.exports = { locate, loadAddon, missingLine }

if (require.main === module) process.exitCode = install()
