/**
 * Where a run that asked for a precision (or set a budget) stopped, in words:
 * "resolved to ±3.1% after 24 rounds (3 min 10 s)", or "budget spent after 60
 * rounds: cluster/shared ±6.4%; about 40 more rounds (5 min) would reach ±5%".
 * The progress line after each round says the same of the rounds so far.
 */
import { TCP_WORDS } from './words.js'
import type { Words } from './words.js'
import { minutes } from '../numbers.js'
import { roundsMore, unresolvedPairs } from './precision.js'
import type { PairPrecision, PrecisionStop } from '../types/docs.js'

const pm = (x: number | null): string => x === null ? 'no interval yet' : `±${(x * 100).toFixed(1)}%`
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** "reuseport/shared 1.02x ±4.1%", each pair. */
export function standingText (pairs: readonly PairPrecision[]): string {
  return pairs.map(p => `${p.mode}/${p.against} ${p.ratio.toFixed(2)}x ${pm(p.halfWidth)}`).join(', ')
}

/** "about 40 more rounds (5 min 0 s) would reach ±5%", from the spread so far; '' when unknown. */
export function moreText (more: { rounds: number, seconds: number } | null, precision: number): string {
  if (more === null || more.rounds === 0) return ''
  return `about ${plural(more.rounds, 'more round')} (${minutes(more.seconds)}) would reach ±${(precision * 100).toFixed(1).replace(/\.0$/, '')}%`
}

/** The sentence for one configuration's stop (its precision null: a budget alone was set). */
export function stopSentence (s: PrecisionStop, w: Words = TCP_WORDS): string {
  const { precision, roundSec } = s
  const head = `${s.workers} workers, ${s.connections} ${w.connections} - `
  const after = `after ${plural(s.rounds, 'round')} (${minutes(s.seconds)})`
  const widest = Math.max(...s.pairs.map(p => p.halfWidth ?? Infinity))
  if (precision === null) return `${head}${s.reason === 'budget' ? 'budget spent' : 'stopped'} ${after}${s.pairs.length === 0 ? '' : `: ${standingText(s.pairs)}`}.`
  const open = unresolvedPairs(s.pairs)
  const most = roundsMore(open)
  const more = most === null ? null : { rounds: most, seconds: Math.round(most * roundSec) }
  switch (s.reason) {
    case 'resolved': return `${head}every pair's ${w.rate} ratio resolved to ${pm(widest)} ${after} (asked: ±${(precision * 100).toFixed(1)}%): ${standingText(s.pairs)}.`
    case 'budget': return `${head}budget (--max-time) spent ${after}: ${standingText(open)}${moreText(more, precision) === '' ? '' : `; ${moreText(more, precision)}`}.`
    case 'rounds': return `${head}stopped at the most rounds one configuration may run ${after}: ${standingText(open.length === 0 ? s.pairs : open)}.`
    case 'interrupted': return `${head}interrupted ${after}: ${standingText(s.pairs)}${moreText(more, precision) === '' ? '' : `; ${moreText(more, precision)}`}.`
  }
}
