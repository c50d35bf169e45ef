// Dependencies point one way (docs/architecture.md, "Layers"): every import in src/, type imports
// included, goes to the same folder or to one lower in this order; and no two files import each other,
// directly or round a loop. A new top-level folder must be placed in the order before it can be used.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../../../src', import.meta.url))

/** Bottom to top. The files directly in src/ are the leaves (errors, limits, shape, numbers, ...). */
const LAYERS = [
  'types', '.',
  'native', 'proc', 'ipc', 'kernel',
  'collect', 'remote', 'load', 'topology',
  'schema',
  'analyse',
  'plan',
  'probe', 'engine',
  'report', 'store', 'reproduce', 'api', 'cli'
]

function sources (dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const p = path.join(dir, f)
    if (statSync(p).isDirectory()) return sources(p)
    return f.endsWith('.ts') && !f.endsWith('.d.ts') ? [p] : []
  })
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

/** Every relative import of `file` (static, type-only, re-export or dynamic), as the .ts file it names. */
function importsOf (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(IMPORT)].map(m => path.resolve(path.dirname(file), (m[1] ?? m[2] ?? '').replace(/\.js$/, '.ts')))
}

/** A file's top-level folder under src/ ('.' for the files directly in it). */
const folderOf = (file: string): string => {
  const rel = path.relative(SRC, file).split(path.sep)
  return rel.length === 1 ? '.' : rel[0] ?? '.'
}

const files = sources(SRC)
const edges = new Map(files.map(f => [f, importsOf(f).filter(t => t.startsWith(SRC + path.sep))]))

test('every top-level folder of src/ has its place in the order', () => {
  const folders = [...new Set(files.map(folderOf))].sort()
  assert.deepEqual(folders.filter(f => !LAYERS.includes(f)), [], 'a folder not in LAYERS (place it, and say so in docs/architecture.md)')
  assert.ok(files.length > 200, `read ${files.length} files`)
})

test('no import goes up a layer (type imports included)', () => {
  const upward: string[] = []
  for (const [from, targets] of edges) {
    for (const to of targets) {
      const a = LAYERS.indexOf(folderOf(from))
      const b = LAYERS.indexOf(folderOf(to))
      if (b > a) upward.push(`${path.relative(SRC, from)} -> ${path.relative(SRC, to)} (${folderOf(from)} is below ${folderOf(to)})`)
    }
  }
  assert.deepEqual(upward, [])
})

test('no two files import each other, directly or round a loop', () => {
  // Tarjan's strongly connected components over the file graph.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const loops: string[][] = []
  let next = 0
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++
    stack.push(v); onStack.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0)) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0))
    }
    if (low.get(v) !== index.get(v)) return
    const loop: string[] = []
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w)
      loop.push(path.relative(SRC, w))
      if (w === v) break
    }
    if (loop.length > 1) loops.push(loop.sort())
  }
  for (const f of files) if (!index.has(f)) visit(f)
  assert.deepEqual(loops, [])
})
