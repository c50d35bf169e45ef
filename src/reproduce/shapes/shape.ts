/**
 * What a shape is: one kind of relation a study may claim ("the busiest two take over 70%", "reuseport's max
 * is above shared's"), checked against what we measured. A shape is a plug-in: one file in this folder and
 * one line in index.ts; a study names it in its checks with the fields it declares.
 */
import type { Shape } from '../../shape.js'
import type { ResultDoc } from '../../types/docs.js'
import type { ProbeDoc } from '../../types/probe.js'
import type { CheckOutcome, StudyCheck } from '../../types/study.js'

/** What a study ran: the result of its load, or its probe; and the platform it ran on. */
export interface Evidence { result?: ResultDoc, probe?: ProbeDoc, platform: string }

/** A check's outcome without the fields the check itself gives (its shape and claim). */
export type Judgement = Omit<CheckOutcome, 'shape' | 'claim'>

export interface StudyShape {
  name: string
  /** What the check reads: the result of a load, or the probe. */
  needs: 'result' | 'probe'
  /** The check's own fields (besides shape, claim and platform), as the catalogue checks them. */
  fields: Readonly<Record<string, Shape>>
  /** The modes the check names, which the study's plan must run. */
  modes: (c: StudyCheck) => string[]
  judge: (c: StudyCheck, e: Evidence) => Judgement
}

/** A check's field, read as its shape's table guarantees it. */
export const field = <T>(c: StudyCheck, name: string): T => c[name] as T

/** A judgement for a check with nothing to read, and why (evidence.ts whyNoRuns). */
export const missing = (why: string): Judgement => ({ measured: 'no data', value: null, finding: 'inconclusive', why })

export { percent as pc, sig } from '../../numbers.js'
