/**
 * `report` and `compare`: HTML from saved results.
 */
import { UsageError } from '../errors.js'
import { stamp, writeFileAtomic } from '../report/result.js'
import { writeArtifacts } from '../report/artifacts.js'
import { renderCompare } from '../report/html/compare.js'
import { loadProbe, loadResult } from '../report/load.js'
import path from 'node:path'

export interface ReportArgs { result: string, probe?: string, out?: string }

export async function cmdReport (a: ReportArgs): Promise<void> {
  const doc = loadResult(a.result)
  const probe = a.probe === undefined ? undefined : loadProbe(a.probe)
  const out = a.out ?? path.join(path.dirname(a.result), 'report.html')
  const files = writeArtifacts(path.dirname(out), doc, probe, out)
  process.stdout.write(files.map(f => `wrote ${f}`).join('\n') + '\n')
}

export interface CompareArgs { results: string[], names?: string, out?: string }

export async function cmdCompare (a: CompareArgs): Promise<void> {
  if (a.results.length < 2) throw new UsageError('compare needs at least two result files')
  const docs = a.results.map(loadResult)
  const names = a.names === undefined ? [] : a.names.split(',').map(x => x.trim())
  if (a.names !== undefined && names.length !== docs.length) throw new UsageError(`--names has ${names.length} names for ${docs.length} results`)
  const named = docs.map((doc, i) => ({ name: names[i] ?? (doc.label !== '' ? doc.label : `${doc.host.platform} #${i + 1}`), doc }))
  const out = a.out ?? path.join('reports', `compare-${stamp(new Date())}`, 'compare.html')
  writeFileAtomic(out, renderCompare(named))
  process.stdout.write(`wrote ${out}\n`)
}
