/**
 * The source article's two experiments, transcribed cell by cell.
 *
 * Source: "网络编程中SO_REUSEADDR、SO_REUSEPORT选项在Linux与Unix下的对比" (a comparison of
 * SO_REUSEADDR and SO_REUSEPORT on Linux and Unix), shipped as
 * "网络编程中SO_REUSEADDR、SO_REUSEPORT选项在Linux与Unix下的对比" (SO_REUSEADDR and SO_REUSEPORT in network programming, Linux against Unix). Run by its author on Ubuntu 22.04 under WSL2
 * (kernel 5.15) and on FreeBSD 14.1 with two Python processes: socket A binds
 * (experiment 1) or binds and listens (experiment 2), then socket B does the same.
 * Options are set to the same value on both sockets. The article's specific IP,
 * 172.22.147.210, stands for "a specific address of this host"; we use a loopback
 * address other than 127.0.0.1. 'Ok'/'OK' is written 'ok' and ADDR_ALREADY_IN_USE
 * is written EADDRINUSE.
 */
import type { AddressPair } from '../types/probe.js'

export type Experiment = 'bind' | 'listen'
export type ArticleOutcome = 'ok' | 'EADDRINUSE'

export interface ArticleCell {
  experiment: Experiment
  pair: AddressPair
  reuseaddr: 0 | 1
  reuseport: 0 | 1
  outcome: ArticleOutcome
}

export const ARTICLE_SOURCE = 'the article "网络编程中SO_REUSEADDR、SO_REUSEPORT选项在Linux与Unix下的对比" (SO_REUSEADDR and SO_REUSEPORT in network programming, Linux against Unix) (Linux: Ubuntu 22.04 on WSL2, kernel 5.15; FreeBSD 14.1)'

const PAIRS: AddressPair[] = ['specific-specific', 'any-any', 'specific-any']
/** The article's row order: (reuseaddr, reuseport) = (1,1), (1,0), (0,1), (0,0), each with the three pairs. */
const COMBOS: Array<[0 | 1, 0 | 1]> = [[1, 1], [1, 0], [0, 1], [0, 0]]

function table (experiment: Experiment, outcomes: string): ArticleCell[] {
  // `outcomes` is the Result column top to bottom: O = Ok, X = ADDR_ALREADY_IN_USE.
  const cells: ArticleCell[] = []
  let i = 0
  for (const [reuseaddr, reuseport] of COMBOS) {
    for (const pair of PAIRS) {
      cells.push({ experiment, pair, reuseaddr, reuseport, outcome: outcomes[i++] === 'O' ? 'ok' : 'EADDRINUSE' })
    }
  }
  return cells
}

/** Article lines 137-149 (bind) and 205-217 (listen). */
export const LINUX_TABLE: readonly ArticleCell[] = [
  ...table('bind', 'OOO' + 'OOO' + 'OOO' + 'XXX'),
  ...table('listen', 'OOO' + 'XXX' + 'OOO' + 'XXX')
]

/** Article lines 284-296 (bind) and 347-359 (listen). */
export const FREEBSD_TABLE: readonly ArticleCell[] = [
  ...table('bind', 'OOO' + 'XXO' + 'OOO' + 'XXX'),
  ...table('listen', 'OOO' + 'XXO' + 'OOO' + 'XXX')
]

/** The article's table for a platform, if it has one. */
export function articleTable (platform: string): readonly ArticleCell[] | undefined {
  if (platform === 'linux') return LINUX_TABLE
  if (platform === 'freebsd') return FREEBSD_TABLE
  return undefined
}
