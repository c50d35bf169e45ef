/**
 * Everything written beside a result: the HTML report, the raw latency
 * histograms as .hgrm percentile distributions, and a CSV of per-process counts.
 */
import path from 'node:path'
import { hgrm } from '../collect/histogram.js'
import { renderReport } from './html/report.js'
import { writeFileAtomic } from './result.js'
import type { ProbeDoc, ResultDoc } from '../types/docs.js'

const CSV_HEAD = 'mode,workers,index,pid,accepts,requests,errors,resets,cpu_ms,rss_bytes,srv_p50_us,srv_p99_us,srv_max_us'

export function countsCsv (doc: ResultDoc): string {
  const lines = [CSV_HEAD]
  for (const r of doc.runs) {
    for (const l of r.listeners) {
      lines.push([r.mode, r.workers, l.index, l.pid, l.accepts, l.requests, l.errors, l.resets, l.cpuMs, l.rssBytes, l.latencyUs.p50, l.latencyUs.p99, l.latencyUs.max].join(','))
    }
  }
  return lines.join('\n') + '\n'
}

/** Writes report.html (or `reportFile`), <mode>-client.hgrm, <mode>-server.hgrm and counts.csv; returns the paths. */
export function writeArtifacts (dir: string, doc: ResultDoc, probe?: ProbeDoc, reportFile = path.join(dir, 'report.html')): string[] {
  const written: string[] = []
  const put = (file: string, text: string): void => { writeFileAtomic(file, text); written.push(file) }
  put(reportFile, renderReport(doc, probe))
  for (const [i, r] of doc.runs.entries()) {
    const name = doc.runs.filter(x => x.mode === r.mode).length > 1 ? `${r.mode}-${i}` : r.mode
    put(path.join(dir, `${name}-client.hgrm`), `# ${r.mode}: client round trip, milliseconds\n` + hgrm(r.client.histogram, 1000))
    put(path.join(dir, `${name}-server.hgrm`), `# ${r.mode}: server processing time (all listeners), milliseconds\n` + hgrm(r.serverHistogram, 1000))
  }
  put(path.join(dir, 'counts.csv'), countsCsv(doc))
  return written
}
