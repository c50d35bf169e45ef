// Hostile input and faults, second round (issue 40): a command never writes over its own input, a
// malformed histogram is one line naming the field, text from a file is inert on a terminal, and a result never
// claims more than it has. (The API letting go at any moment needs the CPUs to itself: solo/hostile.test.ts.)
import assert from 'node:assert/strict'
import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { makeDoc, makeRun } from '../fixtures.js'
import { runCli } from '../helpers.js'
import { scratch } from '../scratch.js'

const dir = scratch('rb-hostile-')
test.after(() => rmSync(dir, { recursive: true, force: true }))

/** A synthetic result (not a measurement) in a folder of its own, changed by `change`; its path. */
function resultIn (name: string, change: (doc: Record<string, any>) => void = () => {}): string {
  const at = path.join(dir, name)
  rmSync(at, { recursive: true, force: true })
  mkdirSync(at, { recursive: true })
  const doc = JSON.parse(JSON.stringify(makeDoc([makeRun('reuseport', [5, 5]), makeRun('shared', [6, 4])], name))) as Record<string, any>
  change(doc)
  const file = path.join(at, 'result.json')
  writeFileSync(file, JSON.stringify(doc))
  return file
}

/** One line on stderr, exit 2, and the input left as it was. */
function refusedIntact (r: { code: number | null, stderr: string }, file: string, before: string, what: string): void {
  assert.equal(r.code, 2, `${what}: ${r.stderr}`)
  assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: one line: ${r.stderr}`)
  assert.match(r.stderr, /would overwrite the input/, what)
  assert.equal(readFileSync(file, 'utf8'), before, `${what}: the input is untouched`)
}

test('report and compare never write over an input: the same path, a hard link, a symlink', async () => {
  const a = resultIn('a')
  const b = resultIn('b')
  const before = readFileSync(a, 'utf8')
  refusedIntact(await runCli(['report', a, '--out', a]), a, before, 'report --out its own result')
  const hard = path.join(dir, 'hard.html')
  linkSync(a, hard)
  refusedIntact(await runCli(['report', a, '--out', hard]), a, before, 'report --out a hard link to it')
  const soft = path.join(dir, 'soft.html')
  symlinkSync(a, soft)
  refusedIntact(await runCli(['report', a, '--out', soft]), a, before, 'report --out a symlink to it')
  refusedIntact(await runCli(['compare', a, b, '--out', a]), a, before, 'compare --out its first input')
  refusedIntact(await runCli(['compare', b, a, '--out', soft]), a, before, 'compare --out a symlink to an input')
  const fine = await runCli(['report', a, '--out', path.join(dir, 'fine.html')])
  assert.equal(fine.code, 0, fine.stderr)
})

test('a malformed histogram is bad input: one line naming the file and the field, exit 2, in report and compare alike', async () => {
  const good = resultIn('good-h')
  const cases: Array<[string, (d: Record<string, any>) => void]> = [
    ['runs[0].serverHistogram', d => { d.runs[0].serverHistogram = 'abc' }],
    ['runs[1].client.histogram', d => { d.runs[1].client.histogram = 'HISTFAAAAB54nJNpmSzMwMDAzAABMJoRTAMAGqwAqQ==' }],
    ['runs[0].listeners[1].histogram', d => { d.runs[0].listeners[1].histogram = 'SGVsbG8gd29ybGQ=' }]
  ]
  for (const [field, change] of cases) {
    const bad = resultIn(`bad-h-${field.replace(/\W+/g, '-')}`, change)
    for (const args of [['report', bad, '--out', path.join(dir, 'h.html')], ['compare', good, bad, '--out', path.join(dir, 'hc.html')]]) {
      const r = await runCli(args)
      assert.equal(r.code, 2, `${args[0] ?? ''} ${field}: ${r.stderr}`)
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr)
      assert.ok(r.stderr.includes(`${bad} is not a result this tool can read: ${field} is not an encoded histogram`), r.stderr)
    }
  }
})

test('text from a file or a flag is inert on a terminal: escapes are shown, never obeyed', async () => {
  const evil = 'lab\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED'
  const a = resultIn('esc-a', d => { d.label = evil })
  const b = resultIn('esc-b', d => { d.label = 'plain'; d.runs[0].mode = 'reuseport' })
  const r = await runCli(['compare', a, b, '--allow-different-plans', '--out', path.join(dir, 'esc.html')])
  assert.equal(r.code, 0, r.stderr)
  assert.ok(r.stdout.includes('lab\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED'), `the label shown as text: ${JSON.stringify(r.stdout.slice(0, 400))}`)
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(text), `no control character reaches ${name}: ${JSON.stringify(text.slice(0, 300))}`)
  const flag = await runCli(['report', path.join(dir, 'no\x1b[2Jsuch.json')])
  assert.equal(flag.code, 2)
  assert.ok(flag.stderr.includes('no\\x1b[2Jsuch.json') && !flag.stderr.includes('\x1b'), JSON.stringify(flag.stderr))
})

test('a result never claims more than it has: a handler that fails every request, or leaves connections hanging, is invalid, and a run with no valid cell exits 5', { timeout: 120_000 }, async () => {
  const handlers: Array<[string, string, string]> = [
    ['errors', 'export default (req, res) => { res.statusCode = 500; res.end("no") }\n', 'were not 2xx'],
    ['stalled', 'let n = 0\nexport default (req, res) => { if (n++ % 2 === 0) res.end("ok") }\n', 'waited on answers that never came']
  ]
  for (const [kind, source, reason] of handlers) {
    const file = path.join(dir, `${kind}.mjs`)
    writeFileSync(file, source)
    const out = path.join(dir, `claims-${kind}`)
    const r = await runCli(['run', '--modes', 'reuseport', '--trials', '1', '-w', '2', '-c', '8', '-d', '1.5', '--warmup', '0', '--handler', file, '--out', out], 60_000)
    assert.equal(r.code, 5, `${kind}: ${r.stderr}`)
    assert.match(r.stderr, /no cell measured the listeners/, kind)
    assert.doesNotMatch(r.stdout, /Highest throughput/, `${kind}: nothing is ranked`)
    const doc = JSON.parse(readFileSync(path.join(out, 'latest', 'result.json'), 'utf8')) as { runs: Array<{ invalid?: { kind: string, reason: string } }> }
    assert.equal(doc.runs[0]?.invalid?.kind, kind)
    assert.ok(doc.runs[0]?.invalid?.reason.includes(reason), doc.runs[0]?.invalid?.reason)
  }
})
