/**
 * `probe`: the bind/listen matrix and the accept-order probe on this host.
 */
import { out } from './output.js'
import { isIP } from 'node:net'
import { UsageError } from '../errors.js'
import { integer, parseModes } from '../plan/validate.js'
import { LIMITS } from '../limits.js'
import { createRunDir, removeIfEmpty, saveDoc } from '../store/runDir.js'
import { formatProbe } from '../report/probeTable.js'
import { runProbe } from '../probe/index.js'
import { probeListeners } from '../engine/session.js'
import { assertLocalAddress } from '../topology/address.js'
import { PROBE_IP6 } from '../probe/defaults.js'
import { endProgress, interrupts, progressPrinter, useColor } from './common.js'
import { runnableModes } from '../engine/modes.js'
import { commandLine } from '../proc/commandLine.js'
import type { AcceptStyle } from '../types/agent.js'

export interface ProbeArgs { ip: string, ip6: string, port: string, modes: string, workers: string, sequence: string, spread: string, 'deadline-scale': string, 'accept-styles': string, out: string, json: boolean }

const STYLES: readonly AcceptStyle[] = ['blocking', 'epoll-exclusive']

/** --accept-styles: a comma-separated list of Cloudflare's ways of waiting ('' runs none). */
function parseStyles (v: string): AcceptStyle[] {
  const items = v.split(',').map(x => x.trim()).filter(x => x !== '')
  for (const x of items) if (!(STYLES as readonly string[]).includes(x)) throw new UsageError(`--accept-styles: '${x}' is not a way of waiting; use ${STYLES.join(', ')} (or '' for none)`)
  return [...new Set(items)] as AcceptStyle[]
}

export async function cmdProbe (a: ProbeArgs): Promise<void> {
  if (isIP(a.ip) !== 4 || a.ip === '0.0.0.0') throw new UsageError(`--ip must be a specific IPv4 address of this machine, got '${a.ip}'`)
  assertLocalAddress(a.ip)
  let ip6 = a.ip6
  if (ip6 !== '') {
    if (isIP(ip6) !== 6 || ip6 === '::') throw new UsageError(`--ip6 must be a specific IPv6 address of this machine (or '' to skip), got '${ip6}'`)
    try {
      assertLocalAddress(ip6)
    } catch (err) {
      if (a.ip6 !== PROBE_IP6) throw err
      ip6 = '' // the default ::1 is missing: the IPv6 rows are skipped, with the reason
    }
  }
  const port = integer('port', a.port, 0, 65535)
  if (port !== 0 && port < 1024 && process.getuid?.() !== 0) throw new UsageError(`--port ${port} is privileged; run as root or pick a port above 1023`)
  const { modes, skipped } = runnableModes(parseModes(a.modes))
  const options = {
    workers: integer('workers', a.workers, 1, 64),
    sequence: integer('sequence', a.sequence, 0, 10_000),
    spread: integer('spread', a.spread, 0, 10_000),
    styles: parseStyles(a['accept-styles']),
    deadlineScale: integer('deadline-scale', a['deadline-scale'], 1, LIMITS.deadlineScale)
  }
  const dir = createRunDir(a.out, new Date())
  const say = progressPrinter(a.json)
  interrupts(say)
  for (const k of skipped) say(`skipped: accept order of ${k.what}: ${k.reason}`)
  let doc
  try {
    doc = await runProbe({ ip: a.ip, ip6, port, modes, listeners: probeListeners(), ...options, progress: say }, commandLine())
  } catch (err) {
    removeIfEmpty(dir)
    throw err
  }
  doc.skipped.push(...skipped.map(k => ({ rows: `accept order of ${k.what}`, reason: k.reason })))
  const file = saveDoc(dir, doc, 'probe.json', 'latest-probe')
  if (a.json) {
    out(JSON.stringify(doc, null, 2) + '\n')
    return
  }
  endProgress()
  out(formatProbe(doc, useColor(process.stdout)) + '\n\n')
  out(`probe: ${file}\n`)
}
