/**
 * A cell's steering in sentences: which program placed the connections, what
 * its map held at the end, how often the listeners wrote it, and the stalled
 * listener's share of new connections during its stalls; and, with
 * --dump-steering, the program itself and its map, for the terminal.
 */
import { num, percent } from '../numbers.js'
import { steerPolicy } from '../topology/steer/policies.js'
import type { ModeRun, StallShare, SteeringRecord } from '../types/run.js'

/** "sent 120/118/2/125 (taken 120/118/0/125, open 3/2/0/4)". */
function slotsText (p: SteeringRecord): string {
  const list = (f: (s: SteeringRecord['slots'][number]) => number): string => p.slots.map(f).join('/')
  return `sent ${list(s => s.assigned)} by socket (taken ${list(s => s.accepted)}; open ${list(s => s.open)})`
}

function programLine (p: SteeringRecord): string {
  const kernel = p.kernelRuns === null ? 'the kernel did not count its runs (kernel.bpf_stats_enabled is 0)' : `the kernel counted ${num(p.kernelRuns)} runs, ${num(p.nsPerRun)} ns each`
  return `steering program: ${p.instructions} instructions; ran ${num(p.runs)} times, ${num(p.fallbacks)} left to the kernel's hash (socket gone or not yet joined); ${slotsText(p)}; ${kernel}; listeners wrote the load map ${num(p.updates)} times (${num(p.updatesPerSec)}/s, ${num(p.resyncs)} of them resyncs from the accept queue)`
}

/** The stall share with its interval, against what placement by hash alone would give (one in N). */
export function stallShareText (s: StallShare, workers: number): string {
  const interval = s.lo === null || s.hi === null ? 'no interval' : `95% interval ${percent(s.lo)} to ${percent(s.hi)}`
  return `stalled listener's share of new connections during its ${s.stalls} stalls: ${percent(s.share)} (${interval}; ${num(s.queued)} queued on it of ${num(s.opened)} the kernel accepted meanwhile, Tcp PassiveOpens); one in ${workers} would be ${percent(1 / workers)}`
}

/** The steering and stall-share lines of a cell. */
export function steeringLines (r: ModeRun): string[] {
  const out: string[] = []
  const st = r.scenario?.steer
  if (st !== undefined) {
    const p = steerPolicy(st.kind)
    // A UDP group's program picks a socket for each datagram, not once per connection.
    const udp = r.client.udp !== undefined
    const what = p.description.replace(/^(classic BPF|eBPF): /, '')
    out.push(`scenario: ${udp ? 'datagrams' : 'connections'} steered by ${p.program === 'ebpf' ? 'an eBPF' : 'a classic BPF'} program, ${st.kind}: ${udp ? what.replace(/connection/g, 'datagram') : what}; detached at the end: ${st.detached}`)
    if (st.program !== undefined) out.push(programLine(st.program))
  }
  const share = r.scenario?.stallShare
  if (share !== undefined) out.push(stallShareText(share, r.workers))
  return out
}

/** --dump-steering: each steered cell's program, one instruction a line, and its map's final slots. */
export function dumpLines (runs: readonly ModeRun[]): string[] {
  const out: string[] = []
  for (const r of runs) {
    const p = r.scenario?.steer?.program
    if (p === undefined) continue
    out.push(`${r.mode} trial ${r.trial}: ${p.policy}, ${p.instructions} instructions`)
    if (p.dump !== undefined) out.push(...p.dump.map(l => `  ${l}`))
    out.push('  load map at the end (socket: sent, taken, open):')
    p.slots.forEach((s, i) => out.push(`    ${i}: ${s.assigned}, ${s.accepted}, ${s.open}`))
    out.push(`  program: runs ${p.runs}, fallbacks ${p.fallbacks}`)
  }
  return out
}
