/**
 * `report` and `compare`: HTML from saved results.
 */
import { err, out } from './output.js'
import { statSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.js'
import { addGridAnalysis, comparisonOf } from '../analyse/result.js'
import { createRunDir } from '../store/runDir.js'
import { refuseOverInputs, writeFileAtomic } from '../store/files.js'
import { artifactPaths, writeArtifacts } from '../store/artifacts.js'
import { renderCompare } from '../report/html/compare.js'
import type { Named } from '../report/compareCells.js'
import { compareSummary, nothingInCommon } from '../report/compareCells.js'
import { compareHeadline } from '../report/compareHeadline.js'
import { compareDoc } from '../report/compareDoc.js'
import { commandLine } from '../proc/commandLine.js'
import { planDifferences } from '../plan/planDiff.js'
import { loadProbe, loadResult } from '../store/load.js'
import type { ResultDoc } from '../types/docs.js'

export interface ReportArgs { result: string, probe?: string, out?: string }

function isFolder (p: string): boolean {
  try {
    return statSync(p).isDirectory()
  } catch {
    return false
  }
}

/** A result (or probe) file, or the folder a run wrote it in. */
export function resolveDocFile (given: string, fileName: string): string {
  if (!isFolder(given)) return given
  const file = path.join(given, fileName)
  try {
    statSync(file)
  } catch {
    throw new UsageError(`${given} is a folder with no ${fileName} in it`, 'RB_BAD_RESULT')
  }
  return file
}

/**
 * Where the HTML and its side files (.hgrm, CSV) go: beside the result by
 * default; into a folder given as --out; with --out FILE.html, the side files
 * in FILE-files/ next to it, never loose beside the HTML.
 */
export function reportPlaces (resultFile: string, out: string | undefined): { html: string, sideDir: string } {
  if (out === undefined) return { html: path.join(path.dirname(resultFile), 'report.html'), sideDir: path.dirname(resultFile) }
  if (isFolder(out)) return { html: path.join(out, 'report.html'), sideDir: out }
  const stem = path.basename(out).replace(/\.html?$/i, '')
  return { html: out, sideDir: path.join(path.dirname(out), `${stem}-files`) }
}

/** A result read from a file with its comparison, sweep and paired ratios worked out again from its runs: the file's own are not trusted. */
export async function analysedAgain (read: ResultDoc): Promise<ResultDoc> {
  const { sweep: _sweep, paired: _paired, ...rest } = read
  const doc: ResultDoc = { ...rest, comparison: comparisonOf(read.runs, read.baseline) }
  await addGridAnalysis(doc, doc.plan)
  return doc
}

export async function cmdReport (a: ReportArgs): Promise<void> {
  const resultFile = resolveDocFile(a.result, 'result.json')
  const doc = await analysedAgain(loadResult(resultFile))
  const probeFile = a.probe === undefined ? undefined : resolveDocFile(a.probe, 'probe.json')
  const probe = probeFile === undefined ? undefined : loadProbe(probeFile)
  const { html, sideDir } = reportPlaces(resultFile, a.out)
  refuseOverInputs(artifactPaths(sideDir, doc, html), [resultFile, ...(probeFile === undefined ? [] : [probeFile])])
  // A large result (at most MAX_RUNS runs are read) takes a while: say what is coming.
  if (doc.runs.length > 50) err(`report: ${doc.runs.length} runs: writing ${html} and ${2 * doc.runs.length + 1} side files in ${sideDir}\n`)
  const files = writeArtifacts(sideDir, doc, probe, html)
  // A result side by side has a histogram pair per slice: those are counted, not listed one by one.
  const hgrm = files.filter(f => f.endsWith('.hgrm'))
  const listed = hgrm.length > 8 ? [...files.filter(f => !f.endsWith('.hgrm')), `${hgrm.length} .hgrm histograms in ${path.dirname(hgrm[0] ?? '')}`] : files
  out(listed.map(f => `wrote ${f}`).join('\n') + '\n')
}

export interface CompareArgs { results: string[], names?: string, out?: string, 'allow-different-plans'?: boolean }

/** Names for the results: given, else the label, else the platform; repeated names get #2, #3 so results never merge. */
export function compareNames (docs: readonly ResultDoc[], given: string | undefined): Named[] {
  const names = given === undefined ? [] : given.split(',').map(x => x.trim())
  if (given !== undefined && names.length !== docs.length) throw new UsageError(`--names has ${names.length} names for ${docs.length} results`)
  if (names.some(n => n === '')) throw new UsageError(`--names has an empty name in '${String(given)}'`)
  const seen = new Map<string, number>()
  return docs.map((doc, i) => {
    const base = names[i] ?? (doc.label !== '' ? doc.label : `${doc.host.platform} #${i + 1}`)
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return { name: n === 1 ? base : `${base} #${n}`, doc }
  })
}

/** How each result's plan differs from the first's, as lines ("linux vs freebsd: churn 0 vs 1 (changes what is measured)"). */
function differencesOf (named: readonly Named[]): { lines: string[], changesMeasurement: boolean } {
  const [base, ...rest] = named
  const lines: string[] = []
  let changesMeasurement = false
  for (const n of rest) {
    for (const d of planDifferences(base?.doc.plan ?? {}, n.doc.plan)) {
      lines.push(`${base?.name ?? ''} vs ${n.name}: ${d.field} ${d.a} vs ${d.b} (${d.severity})`)
      if (d.severity === 'changes what is measured') changesMeasurement = true
    }
  }
  return { lines, changesMeasurement }
}

export async function cmdCompare (a: CompareArgs): Promise<void> {
  if (a.results.length < 2) throw new UsageError('compare needs at least two result files')
  const files = a.results.map(r => resolveDocFile(r, 'result.json'))
  const jsonOf = (html: string): string => html.replace(/\.html?$/i, '') + '.json'
  if (a.out !== undefined) refuseOverInputs([a.out, jsonOf(a.out)], files)
  const named = compareNames(files.map(f => loadResult(f)), a.names)
  const protocols = [...new Set(named.map(n => n.doc.plan.protocol ?? 'tcp'))]
  if (protocols.length > 1) throw new UsageError(`compare puts UDP runs beside UDP runs and TCP runs beside TCP runs: datagrams/s and req/s are not one figure (these results are ${named.map(n => `${n.name} ${n.doc.plan.protocol ?? 'tcp'}`).join(', ')})`)
  const diff = differencesOf(named)
  if (diff.changesMeasurement && a['allow-different-plans'] !== true) {
    throw new UsageError(`these results were not measured the same way: ${diff.lines.join('; ')}; compare them anyway with --allow-different-plans`)
  }
  const apart = nothingInCommon(named)
  if (apart !== undefined) throw new UsageError(`nothing to put side by side: ${apart}`)
  for (const line of diff.lines) err(`WARNING: plans differ: ${line}\n`)
  const file = a.out === undefined ? path.join(createRunDir('reports', new Date(), 'compare-'), 'compare.html') : a.out
  const json = jsonOf(file)
  const headline = compareHeadline(named)
  writeFileAtomic(json, JSON.stringify(compareDoc(named, files, diff.lines, headline, commandLine()), null, 2) + '\n')
  writeFileAtomic(file, renderCompare(named, diff.lines))
  const summary = compareSummary(named)
  const cells = summary.length === 0 ? ['no benchmark cell in common: the bind/listen matrices side by side'] : summary
  out(`${[...headline, ...cells].join('\n')}\nwrote ${file} and ${json}\n`)
}
