/**
 * "The bind/listen outcomes are the article's": the probe's cells against the article's table for this OS
 * (probe/compare.ts). Every cell is a yes-or-no outcome of a syscall, so there is no noise: reproduced when
 * every article cell matches, contradicted when any differs, inconclusive when the article has no table for
 * this OS. A check limited to another platform (the FreeBSD table here) is reported as not run by the study.
 */
import { ARTICLE_SOURCE } from '../../probe/article.js'
import type { StudyCheck } from '../../types/study.js'
import type { Evidence, Judgement, StudyShape } from './shape.js'

export const matrix: StudyShape = {
  name: 'matrix',
  needs: 'probe',
  fields: {},
  modes: (_c: StudyCheck) => [],
  judge (_c: StudyCheck, e: Evidence): Judgement {
    const p = e.probe
    if (p === undefined) return { measured: 'no probe', value: null, finding: 'inconclusive', why: 'the probe did not run' }
    const { articleCells, articleMatches } = p.summary
    const value = { median: articleMatches, lo: null, hi: null, unit: `of ${articleCells} cells` }
    if (p.comparedWith === null || articleCells === 0) return { measured: `${p.cells.length} cells probed on ${p.platform} ${p.release}`, value: null, finding: 'inconclusive', why: `the article (${ARTICLE_SOURCE}) has no table for ${p.platform}` }
    const off = p.cells.filter(c => !c.extra && c.matches === false)
    const measured = `${articleMatches} of ${articleCells} cells as the article's ${p.platform} table, on ${p.platform} ${p.release}`
    if (off.length === 0) return { measured, value, finding: 'reproduced', why: 'every cell matches; a syscall outcome has no noise' }
    const list = off.slice(0, 4).map(c => `${c.experiment} ${c.pair} reuseaddr=${c.reuseaddr} reuseport=${c.reuseport}: ${c.outcome}, the article ${c.expected ?? '?'}`).join('; ')
    return { measured, value, finding: 'contradicted', why: `${off.length} cell${off.length === 1 ? '' : 's'} differ: ${list}${off.length > 4 ? '; ...' : ''}` }
  }
}
