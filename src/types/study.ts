/**
 * The catalogue of published studies (`studies/*.json`) and what `reproduce` makes of them, at the bottom:
 * imports only other types.
 */
import type { RawOptions } from './plan.js'
import type { HostFacts } from './host.js'

/** Where a study was published. */
export interface StudySource {
  title: string
  url: string
  year: number
  /** Repository and path, issue number, or the venue, when the URL alone does not say. */
  where?: string
}

/** A figure as the source gives it: its words quoted exactly, its value and unit as printed there. */
export interface PublishedFigure {
  what: string
  /** The number as printed (a string when the source gives a sequence or a table). */
  value: number | string
  unit: string
  quote: string
  /** Where the quote was read, when not in the source itself (a changelog, a summary of the source). */
  quotedFrom?: string
}

/**
 * One relation a study claims, checked by a shape (src/reproduce/shapes/): `shape` names it; the other
 * fields are that shape's (checked by its field table when the catalogue is read).
 */
export interface StudyCheck {
  shape: string
  /** The claim in a reader's words. */
  claim: string
  /** Checked only on this platform (e.g. the article's FreeBSD table); other hosts report it as not run. */
  platform?: string
  [field: string]: unknown
}

/** How a study runs: a load through the engine (a plan, in the plan's own vocabulary), or the bind/listen probe. */
export type StudyRun =
  | { kind: 'load', plan: RawOptions, quick: RawOptions }
  | { kind: 'probe' }

export interface Study {
  id: string
  title: string
  source: StudySource
  published: { setup: string, figures: PublishedFigure[] }
  /** How the published setup is scaled to a small host, said in the report. */
  scaling: string
  run: StudyRun
  requires: { cpus: number, root: boolean, platforms: string[] }
  checks: StudyCheck[]
}

/** What a check found: the published shape seen, its opposite seen, or neither at this sample size; or not checked here. */
export type Finding = 'reproduced' | 'contradicted' | 'inconclusive' | 'not run'

export interface CheckOutcome {
  shape: string
  claim: string
  /** Our figure in words, with its interval. */
  measured: string
  /** Our figure as a number with its interval (null when there is none). */
  value: { median: number, lo: number | null, hi: number | null, unit: string } | null
  finding: Finding
  /** Why this finding: the rule that decided it, and for an inconclusive one what would resolve it. */
  why: string
}

export interface StudyOutcome {
  id: string
  title: string
  source: StudySource
  published: Study['published']
  scaling: string
  status: 'run' | 'not run'
  /** Why it did not run here. */
  reason?: string
  /** How this host and setup differ from the published one (CPUs, kernel, Node, pinning). */
  differences: string[]
  checks: CheckOutcome[]
  seconds: number
  /** The ordinary document it ran (a result or a probe), relative to the reproduce folder. */
  file?: string
  /** The study whose run this one shared (the same plan), if any. */
  sharedRunOf?: string
  /** Why its document could not be saved (a full disk): it was measured and judged all the same. */
  unsaved?: string
}

export const REPRODUCE_SCHEMA_VERSION = 1

export interface ReproduceDoc {
  /** The `$id` of the schema it fits. */
  $schema?: string
  schemaVersion: typeof REPRODUCE_SCHEMA_VERSION
  kind: 'reproduce'
  /** 'partial' when it was cut short: `studies` holds those that finished. */
  status: 'complete' | 'partial'
  tool: { name: 'reuseport-bench', version: string }
  createdAt: string
  command: string
  quick: boolean
  host: HostFacts
  /** The estimate said before it started, and the time it took, seconds. */
  estimateSec: number
  seconds: number
  studies: StudyOutcome[]
}
