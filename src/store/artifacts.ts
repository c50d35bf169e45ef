/**
 * Everything written beside a result: the HTML report, the raw latency
 * histograms as .hgrm percentile distributions, and a CSV of per-process
 * counts. Every file name and CSV row carries its whole cell (mode, variant,
 * workers, connections, trial), so a figure can be tied to the run it came from.
 */
import path from 'node:path'
import { hgrm } from '../collect/histogram.js'
import { renderReport } from '../report/html/report.js'
import { RunError } from '../errors.js'
import { writeFileAtomic } from './files.js'
import type { ResultDoc } from '../types/docs.js'
import type { ProbeDoc } from '../types/probe.js'
import type { ModeRun } from '../types/run.js'

const CSV_HEAD = 'mode,variant,workers,connections,trial,index,pid,accepts,requests,errors,resets,cpu_ms,rss_bytes,srv_p50_us,srv_p99_us,srv_max_us'
/** A UDP result's columns: the client's flows, and each listener's flows, datagrams and its sockets' drops. */
const UDP_CSV_HEAD = 'mode,variant,workers,client_flows,trial,index,pid,flows,datagrams,drops,errors,cpu_ms,rss_bytes,srv_p50_us,srv_p99_us,srv_max_us'

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function field (v: string | number): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function countsCsv (doc: ResultDoc): string {
  const udp = doc.plan.protocol === 'udp'
  const lines = [udp ? UDP_CSV_HEAD : CSV_HEAD]
  for (const r of doc.runs) {
    for (const l of r.listeners) {
      const counts = udp ? [l.udp?.flows ?? l.accepts, l.udp?.datagrams ?? l.requests, l.udp?.drops ?? '', l.errors] : [l.accepts, l.requests, l.errors, l.resets]
      lines.push([r.mode, r.variant ?? '', r.workers, r.load.connections, r.trial, l.index, l.pid, ...counts, l.cpuMs, l.rssBytes, l.latencyUs.p50, l.latencyUs.p99, l.latencyUs.max].map(field).join(','))
    }
  }
  return lines.join('\n') + '\n'
}

/** The one sanitiser of file names: letters, digits, '.', '_' and '-' only, never a leading dot, never a path. */
export function safeName (text: string): string {
  const s = text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120)
  return s === '' ? '_' : s
}

/** "reuseport-w4-c50-t1", "reuseport-migrate-w4-c50-t1" for the tcp_migrate_req variant: one name per cell. */
export function cellFileName (r: Pick<ModeRun, 'mode' | 'variant' | 'workers' | 'trial'> & { load: { connections: number } }): string {
  return safeName(`${r.mode}${r.variant === undefined ? '' : '-migrate'}-w${r.workers}-c${r.load.connections}-t${r.trial}`)
}

/** `name` in `dir`, refused if it would land anywhere else. */
function inside (dir: string, name: string): string {
  const file = path.resolve(dir, name)
  if (path.dirname(file) !== path.resolve(dir)) throw new RunError('RB_WRITE_FAILED', `refusing to write ${name} outside ${dir}`)
  return file
}

/**
 * Writes report.html (or `reportFile`), <cell>-client.hgrm, <cell>-server.hgrm and counts.csv; returns the paths.
 * Every file is tried, each whole or not at all; if any could not be written, one RB_WRITE_FAILED names them all.
 */
/** Every file writeArtifacts writes, in its order: the report, each cell's two histograms, counts.csv. */
export function artifactPaths (dir: string, doc: ResultDoc, reportFile = path.join(dir, 'report.html')): string[] {
  return [reportFile, ...doc.runs.flatMap(r => [inside(dir, `${cellFileName(r)}-client.hgrm`), inside(dir, `${cellFileName(r)}-server.hgrm`)]), path.join(dir, 'counts.csv')]
}

export function writeArtifacts (dir: string, doc: ResultDoc, probe?: ProbeDoc, reportFile = path.join(dir, 'report.html')): string[] {
  const written: string[] = []
  const failed: RunError[] = []
  const put = (file: string, text: string): void => {
    try {
      writeFileAtomic(file, text)
      written.push(file)
    } catch (err) {
      if (!(err instanceof RunError)) throw err
      failed.push(err)
    }
  }
  put(reportFile, renderReport(doc, probe))
  for (const r of doc.runs) {
    const name = cellFileName(r)
    const cell = `${r.mode}${r.variant === undefined ? '' : ` [${r.variant}]`}, ${r.workers} workers, ${r.load.connections} connections, trial ${r.trial}`
    put(inside(dir, `${name}-client.hgrm`), `# ${cell}: client round trip, milliseconds\n` + hgrm(r.client.histogram, 1000))
    put(inside(dir, `${name}-server.hgrm`), `# ${cell}: server processing time (all listeners), milliseconds\n` + hgrm(r.serverHistogram, 1000))
  }
  put(path.join(dir, 'counts.csv'), countsCsv(doc))
  if (failed.length > 0) {
    const first = failed[0]
    throw new RunError('RB_WRITE_FAILED', failed.length === 1 ? (first?.message ?? '') : `${failed.length} of ${failed.length + written.length} report files not written, first ${first?.message ?? ''}`, { cause: first })
  }
  return written
}
