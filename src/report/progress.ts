/**
 * The engine's events as progress lines for the terminal (stderr). Ticks are
 * transient: a terminal overwrites them, a log drops them.
 */
import { TCP_WORDS, UDP_WORDS } from '../analyse/words.js'
import type { CellPosition, RunEvent, SessionEvent } from '../types/events.js'
import { describeChurn } from './format.js'
import { isEbpfPolicy } from '../topology/steer/policies.js'
import { membersText } from '../topology/kinds/index.js'
import { moreText, standingText, stopSentence } from '../analyse/stopVerdict.js'

/** "[2/3]", or in a grid "[run 2/12: 4 workers, 50 connections, trial 1, about 40 s left]" ("slice ..., round 1" side by side). */
export function positionTag (at: CellPosition): string {
  if (!at.grid) return `[${at.number}/${at.of}]`
  const left = at.leftSec === undefined ? '' : `, about ${at.leftSec} s left`
  const [unit, pair] = at.slice === true ? ['slice', 'round'] : ['run', 'trial']
  return `[${unit} ${at.number}/${at.of}: ${at.cell.workers} workers, ${at.cell.connections} ${at.udp === true ? 'flows' : 'connections'}, ${pair} ${at.cell.trial}${left}]`
}

const whole = (x: number): string => Math.round(x).toLocaleString('en-US')

function sentence (e: RunEvent): string | undefined {
  const plural = (n: number, word: string, suffix = 's'): string => `${n} ${word}${n === 1 ? '' : suffix}`
  switch (e.type) {
    case 'cell-started':
      return `starting ${membersText(e.at.cell.mode, e.at.cell.workers)} (${e.option}${e.steer === null ? '' : `, steered by ${isEbpfPolicy(e.steer) ? 'eBPF' : 'classic BPF'}: ${e.steer}`})${e.note === '' ? '' : ` - ${e.note}`}`
    case 'cell-ready':
      return `${e.workers} listening on port ${e.port} (ready in ${e.readyMs} ms)`
    case 'warm-up':
      return e.asFirst === undefined
        ? `warm-up until steady, at most ${e.seconds} s (not counted)`
        : `warm-up for trial 1's ramp (${plural(e.asFirst.ticks, 'tick')}), then until two ticks agree, at most ${e.seconds} s (not counted)`
    case 'warmed': {
      const rate = e.at.udp === true ? 'datagrams/s' : 'req/s'
      return e.steady
        ? `warm in ${e.seconds.toFixed(1)} s: steady at ${whole(e.rps[e.rps.length - 1] ?? 0)} ${rate}`
        : `not steady after ${e.seconds.toFixed(1)} s (last ${rate} ${e.rps.slice(-3).map(whole).join(', ')}): measuring anyway, and the result says so`
    }
    case 'load-started':
      return e.at.udp === true
        ? `load ${e.durationSec} s, ${e.connections} flows of UDP${e.rate > 0 ? `, ${e.rate} datagrams/s` : ''}`
        : `load ${e.durationSec} s, ${e.connections} connections, ${describeChurn(e.churn)}${e.rate > 0 ? `, ${e.rate} req/s` : ''}${e.restart ? ', rolling restart' : ''}`
    case 'tick':
      return `${Math.min(e.elapsedSec, e.durationSec).toFixed(0)}/${e.durationSec} s, ${e.responses.toLocaleString('en-US')} ${e.at.udp === true ? 'datagrams answered' : 'responses'}, ${e.elapsedSec > 0 ? Math.round(e.responses / e.elapsedSec).toLocaleString('en-US') : 0} ${e.at.udp === true ? 'datagrams/s' : 'req/s'}, ${Math.max(0, Math.ceil(e.durationSec - e.elapsedSec))} s left`
    case 'cell-slow':
      return `still starting after ${e.elapsedSec} s; the start's deadline is ${e.deadlineSec} s (the usual times the host's pace, measured before the run)`
    case 'listener-replaced':
      return `replaced listener ${e.index} (old one drained in ${e.drainMs} ms)`
    case 'cell-done':
      return undefined
    case 'round-done': {
      const more = moreText(e.more, e.precision)
      return `${standingText(e.standing)}${more === '' ? '' : `; ${more}`}`
    }
    case 'rounds-stopped':
      return stopSentence(e.stop, e.at.udp === true ? UDP_WORDS : TCP_WORDS)
  }
}

/** A session's own events, which belong to no cell. */
function sessionLine (e: SessionEvent): string {
  switch (e.type) {
    case 'skipped':
      return `skipped: ${e.what}: ${e.reason}${e.instead === undefined ? '' : `; ${e.instead}`}`
    case 'note':
      return e.text
    case 'analysing':
      return `analysing ${e.runs} runs (intervals and placement tests on a piscina pool, paired ratios)`
  }
}

/** The progress line for an event (undefined for events the terminal does not show). */
export function progressLine (e: RunEvent | SessionEvent): { line: string, transient: boolean } | undefined {
  if (e.type === 'skipped' || e.type === 'note' || e.type === 'analysing') return { line: sessionLine(e), transient: false }
  const text = sentence(e)
  if (text === undefined) return undefined
  // A round's standing and a configuration's stop belong to every mode of it, not to one.
  const who = e.type === 'round-done' ? `round ${e.round}` : e.type === 'rounds-stopped' ? 'rounds' : e.at.cell.mode
  return { line: `${positionTag(e.at)} ${who}: ${text}`, transient: e.type === 'tick' }
}
