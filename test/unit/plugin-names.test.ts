// Plug-ins own their names (issue 43): no module outside a listener kind, a load driver or a sampler
// writes one of their names as a string. The rest of the code reads the registries. Where a name is
// configuration, not code (a scenario preset's modes, the kernels page's fixed experiment), it is
// listed below with its reason; comments are not code and are left out of the scan.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { LOAD_DRIVERS } from '../../src/load/drivers/index.js'
import { MODES } from '../../src/topology/kinds/index.js'
import { SAMPLERS } from '../../src/collect/samplers/index.js'

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))

/** Folders whose files are the plug-ins themselves. */
const PLUGIN_FOLDERS = ['topology/kinds/', 'load/drivers/']

/** Files that name a plug-in as configuration, each with why. */
const CONFIGURATION: Record<string, string> = {
  'plan/options.ts': "the scenario presets' modes (--scenario incoming-cpu compares reuseport with incoming-cpu), as a study names its modes",
  'report/kernels.ts': "the kernels page shows test/kernels' fixed experiment, whose phases run named modes"
}

function tsFiles (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : []
  })
}

/** The code of a file without its comments, its lines where they were (line comments only where they begin a line or follow code after a space). */
function code (text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, c => c.replace(/[^\n]/g, '')).replace(/(^|\s)\/\/.*$/gm, '$1')
}

/** Every string literal of `text` equal to one of `names`, with its line. */
export function namedIn (text: string, names: readonly string[]): string[] {
  const wanted = new Set(names)
  const out: string[] = []
  code(text).split('\n').forEach((line, i) => {
    // A package's name where it is imported is not a plug-in's name.
    if (/^\s*(import|export)\b.*\bfrom\s|^\s*declare module\s/.test(line)) return
    // Nor where it is loaded when needed: import('undici').
    for (const m of line.replace(/\bimport\(\s*(['"])[^'"]*\1\s*\)/g, 'import()').matchAll(/'([^'\\]*)'|"([^"\\]*)"/g)) {
      const s = m[1] ?? m[2] ?? ''
      if (wanted.has(s)) out.push(`line ${i + 1}: '${s}'`)
    }
  })
  return out
}

test('the scan finds a name written as a string, in either quote, and not in a comment', () => {
  assert.deepEqual(namedIn("const a = 'shared'\n// 'reuseport' in a comment\nx(\"cluster\")\nimport { Client } from 'undici'\nconst u = await import('undici'); f('undici')", ['shared', 'reuseport', 'cluster', 'undici']), ["line 1: 'shared'", "line 3: 'cluster'", "line 5: 'undici'"])
})

test('no module outside a plug-in names a listener kind or a load driver', () => {
  const names = [...MODES, ...LOAD_DRIVERS.map(d => d.name)]
  const found = tsFiles(SRC).flatMap(f => {
    const rel = path.relative(SRC, f).split(path.sep).join('/')
    if (PLUGIN_FOLDERS.some(p => rel.startsWith(p)) || CONFIGURATION[rel] !== undefined) return []
    return namedIn(readFileSync(f, 'utf8'), names).map(x => `${rel} ${x}`)
  })
  assert.deepEqual(found, [])
})

/** Every read of a sampler's figures by its name (`samples.hostSpeed`, `samples?.['queues']`), with its line. */
export function samplerReads (text: string, names: readonly string[]): string[] {
  const wanted = new Set(names)
  const out: string[] = []
  code(text).split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\bsamples\??\.(?:\[\s*)?['"]?(\w+)/g)) if (wanted.has(m[1] ?? '')) out.push(`line ${i + 1}: samples.${m[1] ?? ''}`)
  })
  return out
}

test('the sampler scan finds a read by name, dotted or bracketed, and not a read through the sampler', () => {
  assert.deepEqual(samplerReads("const h = run.samples?.hostSpeed\nconst q = r.samples?.['queues']\nconst x = figuresOf(hostSpeedSampler, run)", ['hostSpeed', 'queues']), ['line 1: samples.hostSpeed', 'line 2: samples.queues'])
})

test("no module outside the samplers reads a sampler's figures by its name: figuresOf(sampler, run) gives them typed", () => {
  // The host facts are a typed field of a run's samples (RunSamples.host), not a payload read back by name.
  const names = SAMPLERS.map(s => s.name).filter(n => n !== 'host')
  const found = tsFiles(SRC).flatMap(f => {
    const rel = path.relative(SRC, f).split(path.sep).join('/')
    if (rel.startsWith('collect/samplers/')) return []
    return samplerReads(readFileSync(f, 'utf8'), names).map(x => `${rel} ${x}`)
  })
  assert.deepEqual(found, [])
})
