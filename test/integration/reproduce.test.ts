// `reproduce` end to end (real probe, real listeners and load, --quick): the document, each study's ordinary
// result that `report` takes, a study that cannot run here, and an interruption that keeps what finished.
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { median } from '../../src/analyse/bootstrap.js'
import { CATALOGUE } from '../../src/reproduce/catalogue.js'
import type { ResultDoc } from '../../src/types/docs.js'
import type { ReproduceDoc } from '../../src/types/study.js'
import { alive, allGone, descendants, exited, runCli, startCli, tagHolders, waitForStderr } from '../helpers.js'
import { scratch } from '../scratch.js'

const FINDINGS = ['reproduced', 'contradicted', 'inconclusive', 'not run']
const tmp = (): string => scratch('rb-repro-')
const folder = (out: string): string => path.join(out, readdirSync(out).find(n => n.startsWith('reproduce-')) ?? '')

/** A catalogue study as JSON (only the fields a test changes are typed). */
interface StudyFile { run: { plan: Record<string, unknown>, quick: Record<string, unknown> }, requires: { platforms: string[] } }

/** Copies the package's study `id` into the catalogue folder `cat`, changed by `change`. */
function copyStudy (cat: string, id: string, change: (s: StudyFile) => void): void {
  const study = JSON.parse(readFileSync(path.join(CATALOGUE, `${id}.json`), 'utf8')) as StudyFile
  change(study)
  writeFileSync(path.join(cat, `${id}.json`), JSON.stringify(study))
}

/**
 * A catalogue folder holding egg-5365 with its plan (quick or not) cut to two half-second trials of 2 listeners,
 * for tests that need a study that runs and finishes in seconds; its path.
 */
function catalogueWithShortEgg (): string {
  const cat = tmp()
  copyStudy(cat, 'egg-5365', egg => {
    egg.run.plan = { ...egg.run.plan, workers: 2, connections: 4, trials: 2, durationSec: 0.5, warmupSec: 0 }
    egg.run.quick = {}
  })
  return cat
}

test('reproduce --quick of two studies: a complete document, each finding from the run it names, each result an ordinary one', { timeout: 180_000 }, async () => {
  const out = tmp()
  const r = await runCli(['reproduce', '--quick', 'seed-article-matrix', 'google-lwn-542629', '--out', out, '--json'], 170_000)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '', '--json prints nothing on stderr')
  assert.deepEqual(tagHolders(r.tag), [], 'nothing left running')
  const doc = JSON.parse(r.stdout) as ReproduceDoc
  assert.equal(doc.kind, 'reproduce')
  assert.equal(doc.status, 'complete')
  assert.equal(doc.quick, true)
  assert.ok(doc.estimateSec > 0)
  assert.deepEqual(doc.studies.map(s => [s.id, s.status]), [['seed-article-matrix', 'run'], ['google-lwn-542629', 'run']])
  const dir = folder(out)
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'reproduce.json'), 'utf8')), doc, 'the file is what was printed')
  for (const s of doc.studies) for (const c of s.checks) assert.ok(FINDINGS.includes(c.finding), `${s.id}: ${c.finding}`)

  // The matrix finding is the probe's own comparison; the FreeBSD table is quoted, not run, here.
  const probe = JSON.parse(readFileSync(path.join(dir, doc.studies[0]?.file ?? ''), 'utf8')) as { summary: { articleCells: number, articleMatches: number } }
  const [linux, freebsd] = doc.studies[0]?.checks ?? []
  assert.equal(linux?.finding, probe.summary.articleMatches === probe.summary.articleCells ? 'reproduced' : 'contradicted')
  assert.equal(freebsd?.finding, 'not run')

  // The load study's result is an ordinary one: report takes it, its accounting is exact, and its checks count its connections.
  const file = path.join(dir, doc.studies[1]?.file ?? '')
  const result = JSON.parse(readFileSync(file, 'utf8')) as ResultDoc
  assert.match(result.label, /^reproduce google-lwn-542629 \(quick\)$/)
  for (const run of result.runs) assert.ok(run.accounting.explained, `${run.mode} round ${run.trial}: ${run.accounting.note}`)
  const shared = result.runs.filter(x => x.mode === 'shared')
  const perRound = Math.round(median(shared.map(x => x.listeners.reduce((a, l) => a + l.accepts, 0))))
  assert.match(doc.studies[1]?.checks[0]?.measured ?? '', new RegExp(`${perRound} connections on 4 listeners per round`))
  const rep = await runCli(['report', file, '--out', path.join(out, 'again.html')])
  assert.equal(rep.code, 0, rep.stderr)
  const html = readFileSync(path.join(dir, 'reproduce.html'), 'utf8')
  assert.ok(html.includes('href="https://lwn.net/Articles/542629/"'))
  assert.ok(html.includes('href="google-lwn-542629/report.html"') && existsSync(path.join(dir, 'google-lwn-542629', 'report.html')))
})

test('a study this host cannot run is reported as not run with the reason, and the others still run', { timeout: 60_000 }, async () => {
  // The study that runs is egg-5365 cut short: what is tested is that it runs beside the one that cannot.
  const cat = catalogueWithShortEgg()
  copyStudy(cat, 'google-lwn-542629', google => { google.requires.platforms = ['freebsd'] })
  const out = tmp()
  const r = await runCli(['reproduce', '--catalogue', cat, '--out', out], 50_000)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /== google-lwn-542629: .*\n(.*\n)*   not run: it needs freebsd; this host is linux/)
  const doc = JSON.parse(readFileSync(path.join(folder(out), 'reproduce.json'), 'utf8')) as ReproduceDoc
  assert.deepEqual(doc.studies.map(s => [s.id, s.status]), [['egg-5365', 'run'], ['google-lwn-542629', 'not run']], 'in file-name order')
  assert.match(r.stderr, /2 studies, 1 of them can run here/)
})

test('Ctrl-C during a study: exit 130, nothing left running, and the studies that finished are kept, marked partial', { timeout: 90_000 }, async () => {
  // A short egg-5365 (about 7 s here, against the probe study's 10) finishes first; the signal comes in the first load of
  // google-lwn-542629, whose warm-up is cut.
  const cat = catalogueWithShortEgg()
  copyStudy(cat, 'google-lwn-542629', google => { google.run.quick = { ...google.run.quick, warmupSec: 0 } })
  const out = tmp()
  const child = startCli(['reproduce', '--quick', '--catalogue', cat, '--out', out])
  await waitForStderr(child, /study google-lwn-542629[\s\S]*: load 1 s/, 60_000)
  const pids = descendants(child.pid ?? 0)
  assert.ok(pids.length > 0, 'listeners were running')
  child.kill('SIGINT')
  const end = await exited(child, 20_000)
  assert.equal(end.code, 130)
  assert.ok(await allGone(pids, 3000), `left running: ${pids.filter(alive).join(', ')}`)
  const doc = JSON.parse(readFileSync(path.join(folder(out), 'reproduce.json'), 'utf8')) as ReproduceDoc
  assert.equal(doc.status, 'partial')
  assert.deepEqual(doc.studies.map(s => s.id), ['egg-5365'])
  assert.ok(!existsSync(path.join(out, 'latest-reproduce')), 'latest-reproduce points only at a complete run')
})
