// A crafted document is data, checked (store/load.ts, schema/): markup put in any string or number field
// of a real result (with its sweep, paired trials, host check and probe) or of a probe either is refused
// with one line or reaches the report and compare pages escaped (report/html/markup.ts); a mode or count
// that would lead a file name out of its folder is refused; a huge input is refused, not read.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { analysedAgain } from '../../src/cli/report.js'
import { UsageError } from '../../src/errors.js'
import { renderCompare } from '../../src/report/html/compare.js'
import { renderReport } from '../../src/report/html/report.js'
import { loadProbe, loadResult } from '../../src/store/load.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ProbeDoc } from '../../src/types/probe.js'
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
/** The mark of the i-th field in a document marked in many fields at once. */
const markOf = (i: number): string => `<i id="rb-injected-${i}">`

/** What a crafted file makes of the pages: 'refused' (one line), 'failed' (a render that threw), or the pages' text. */
async function pagesOf (file: string, kind: 'result' | 'probe', good: ResultDoc): Promise<'refused' | 'failed' | string> {
  try {
    if (kind === 'probe') return renderReport(good, loadProbe(file))
    const doc = await analysedAgain(loadResult(file))
    return renderReport(doc) + renderCompare([{ name: 'crafted', doc }, { name: 'good', doc: good }]) + renderCompare([{ name: 'good', doc: good }, { name: 'crafted', doc }])
  } catch (e) {
    return e instanceof UsageError ? 'refused' : 'failed'
  }
}

/** Whether the reader refuses `file` (a document of `kind`) with one line. */
function refusedOnRead (file: string, kind: 'result' | 'probe'): boolean {
  try {
    if (kind === 'probe') loadProbe(file)
    else loadResult(file)
    return false
  } catch (e) {
    if (e instanceof UsageError) return true
    throw e
  }
}

/**
 * Markup in every string and number field of `text` (a document of `kind`): refused or escaped, never markup on a
 * page. Each field is marked alone and read; the fields the reader takes are then marked all at once, each with its
 * own mark, and the pages rendered from that document (field by field only where that render fails, to name the field).
 */
async function craftEvery (text: string, kind: 'result' | 'probe', good: ResultDoc): Promise<{ fields: number, refused: number, failed: string[] }> {
  const all = leaves(JSON.parse(text)).filter(at => at[0] !== '$schema')
  const file = path.join(dir, `crafted-${kind}.json`)
  const write = (marks: ReadonlyArray<[Path, string]>): void => {
    const doc = JSON.parse(text) as unknown
    for (const [at, mark] of marks) setAt(doc, at, mark)
    writeFileSync(file, JSON.stringify(doc))
  }
  const taken: Path[] = []
  for (const at of all) {
    write([[at, MARK]])
    if (!refusedOnRead(file, kind)) taken.push(at)
  }
  const refused = all.length - taken.length
  // The base64 histograms are text a page may fail to decode: marked one at a time below, not with the rest.
  const histogram = (at: Path): boolean => /[Hh]istogram$/.test(String(at[at.length - 1]))
  const together = taken.filter(at => !histogram(at))
  write(together.map((at, i) => [at, markOf(i)]))
  const pages = await pagesOf(file, kind, good)
  let alone = taken.filter(histogram)
  if (pages !== 'refused' && pages !== 'failed') {
    assert.deepEqual(together.filter((_at, i) => pages.includes(markOf(i))).map(at => `${kind} ${at.join('.')}`), [], 'markup reached a page')
  } else {
    alone = taken // together they would not render: one field at a time, as a reader would meet them
  }
  const failed: string[] = []
  for (const at of alone) {
    write([[at, MARK]])
    const html = await pagesOf(file, kind, good)
    if (html === 'failed') failed.push(at.join('.')) // a field the page cannot use (a histogram that does not decode) may fail the render; it never injects
    else if (html !== 'refused') assert.ok(!html.includes(MARK), `markup at ${kind} ${at.join('.')} reached a page`)
  }
  return { fields: all.length, refused, failed }
}

test('markup in any field of a real result or probe is refused or escaped: it never reaches the report or compare page as markup', { timeout: 600_000 }, async () => {
  const r = await runCli(['run', '--modes', 'reuseport,shared', '--trials', '2', '-w', '2', '-c', '4', '-d', '0.3', '--warmup', '0', '--queue-sample-ms', '50', '--probe', '--out', dir], 120_000)
  assert.equal(r.code, 0, r.stderr)
  const text = readFileSync(path.join(dir, 'latest', 'result.json'), 'utf8')
  const good = await analysedAgain(loadResult(path.join(dir, 'latest', 'result.json')))
  const parsed = JSON.parse(text) as ResultDoc
  assert.ok(parsed.probe !== undefined && parsed.sweep !== undefined && parsed.paired !== undefined && parsed.hostCheck !== undefined, 'the result carries a probe, a sweep, paired trials and a host check')
  const result = await craftEvery(text, 'result', good)
  assert.ok(result.fields > 600, `a real result has many fields, found ${result.fields}`)
  assert.ok(result.refused > result.fields / 2, `the typed fields are refused (${result.refused} of ${result.fields})`)
  // Only the base64 histograms may be text the page cannot decode; every other field is typed.
  assert.deepEqual(result.failed.filter(p => !/[Hh]istogram$/.test(p)), [], 'fields that failed the render instead of being refused')
  const probe = await craftEvery(JSON.stringify(parsed.probe as ProbeDoc), 'probe', good)
  assert.ok(probe.fields > 100, `a real probe has many fields, found ${probe.fields}`)
  assert.deepEqual(probe.failed, [], 'probe fields that failed the render instead of being refused')
  console.log(`crafted: result ${result.fields} fields (${result.refused} refused, the rest escaped), probe ${probe.fields} fields (${probe.refused} refused)`)
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
