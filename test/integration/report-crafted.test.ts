// A crafted result.json is data, checked (store/load.ts, store/resultShape.ts): markup put in any field
// of a real result either is refused with one line or reaches the report page escaped; a mode or count
// that would lead a file name out of its folder is refused; a huge input is refused, not read.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { analysedAgain } from '../../src/cli/report.js'
import { UsageError } from '../../src/errors.js'
import { renderReport } from '../../src/report/html/report.js'
import { loadResult } from '../../src/store/load.js'
import { runCli } from '../helpers.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-crafted-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

type Path = Array<string | number>

/** Every scalar leaf of `v` (at most the first two entries of each list), as paths. */
function leaves (v: unknown, at: Path = []): Path[] {
  if (Array.isArray(v)) return v.slice(0, 2).flatMap((x, i) => leaves(x, [...at, i]))
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]))
  return [at]
}

function setAt (root: unknown, at: Path, value: unknown): void {
  let o = root as Record<string | number, unknown>
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>
  o[at[at.length - 1] as string | number] = value
}

const MARK = '<i id="rb-injected">'

test('markup in any field of a real result is refused or escaped: it never reaches the page as markup', { timeout: 300_000 }, async () => {
  const r = await runCli(['run', '--modes', 'reuseport,shared', '--trials', '1', '-w', '2', '-c', '4', '-d', '0.3', '--warmup', '0', '--queue-sample-ms', '50', '--out', dir], 60_000)
  assert.equal(r.code, 0, r.stderr)
  const text = readFileSync(path.join(dir, 'latest', 'result.json'), 'utf8')
  const all = leaves(JSON.parse(text))
  assert.ok(all.length > 300, `a real result has many fields, found ${all.length}`)
  const file = path.join(dir, 'crafted.json')
  let refused = 0
  const failed: string[] = []
  for (const at of all) {
    const doc = JSON.parse(text) as unknown
    setAt(doc, at, MARK)
    writeFileSync(file, JSON.stringify(doc))
    let html: string
    try {
      html = renderReport(await analysedAgain(loadResult(file)))
    } catch (e) {
      if (e instanceof UsageError) { refused++; continue }
      // A field the page cannot use (a histogram that does not decode) may fail the render; it never injects.
      failed.push(at.join('.'))
      continue
    }
    assert.ok(!html.includes(MARK), `markup at ${at.join('.')} reached the page`)
  }
  assert.ok(refused > 100, `the typed fields are refused (${refused} of ${all.length})`)
  // Only the base64 histograms may be text the page cannot decode; every other field is typed.
  assert.deepEqual(failed.filter(p => !/[Hh]istogram$/.test(p)), [], 'fields that failed the render instead of being refused')
})

test('a mode or a count that would lead a side file out of its folder is refused, naming the field', () => {
  const good = JSON.parse(readFileSync(path.join(dir, 'latest', 'result.json'), 'utf8')) as { runs: Array<Record<string, unknown>> }
  const file = path.join(dir, 'escape.json')
  for (const [field, value] of [['mode', '../../../../tmp/ESCAPED'], ['workers', '2/../../x'], ['trial', -1]] as const) {
    const doc = structuredClone(good)
    ;(doc.runs[0] as Record<string, unknown>)[field] = value
    writeFileSync(file, JSON.stringify(doc))
    assert.throws(() => loadResult(file), (e: unknown) => e instanceof UsageError && e.message.includes(`runs[0].${field} must be`), field)
  }
  assert.ok(!readdirSync(path.dirname(dir)).includes('ESCAPED-w2-c4-t1-client.hgrm'))
})

test('report /dev/zero and an oversized file are refused with one line, without reading them whole', async () => {
  const r = await runCli(['report', '/dev/zero'], 30_000)
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /^reuseport-bench: \/dev\/zero is over 64 MiB: not a result this tool writes\n$/)
})
