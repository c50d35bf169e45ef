/**
 * The page of what changed between kernels (report/kernels.ts): one table per section, kernels as columns,
 * rows that differ first and marked, each with the change that explains it. Every value is escaped.
 */
import { htmlTable } from './table.js'
import type { Markup } from './markup.js'
import { html, pageText } from './markup.js'
import { page } from './page.js'
import type { KernelRow, KernelSide } from '../kernels.js'

export interface KernelsPageFacts {
  /** How each kernel was booted and run, in one sentence. */
  how: string
  /** Each kernel's phases: name, exit code, seconds. */
  phases: Record<string, Array<{ phase: string, exit: string, seconds: string }>>
}

export function kernelsPage (sides: readonly KernelSide[], rows: readonly KernelRow[], facts: KernelsPageFacts): string {
  const head = ['', ...sides.map(s => `${s.name} (${s.release})`)]
  const differ = rows.filter(r => r.differs)
  const table = (title: string, rs: readonly KernelRow[]): Markup | '' => rs.length === 0
    ? ''
    : html`<h2>${title}</h2>${htmlTable([...head, 'why'], rs.map(r => [`${r.section}: ${r.what}`, ...r.values.map(x => x.text), r.why ?? '']), { rowClass: i => rs[i]?.differs === true ? 'differs' : '' })}`
  const same = rows.filter(r => !r.differs)
  const phases = htmlTable(['kernel', 'package', 'phases (exit code, seconds)'], sides.map(s => [s.name, s.package, (facts.phases[s.name] ?? []).map(p => `${p.phase} ${p.exit} ${p.seconds}s`).join('; ')]))
  return pageText(page('reuseport-bench: what changed between kernels', html`
<h1>What changed between kernels</h1>
<p>${facts.how}</p>
<p class="fixture">EMULATED, SPEED NOT COMPARABLE: every kernel ran in a guest under QEMU's software emulation, so req/s and latency measure the emulator. The features, the matrix, the accounting, the verdicts against random hashing and the scenarios' outcomes are the kernels'.</p>
<p>A row differs when its outcome differs: a feature found or not, a phase run or refused, the accounting closed or not, a scenario's outcome, a matrix cell. Each mode's verdict against random hashing is shown but not compared: each is a test at the 5% level on a few connections, so across every mode and kernel a few would differ by chance alone. How many connections a restart without tcp_migrate_req reset is shown, not compared, for the same reason.</p>
<style>tr.differs td { background: #fff4d6; }</style>
${phases}
${table(`Where the kernels differ (${differ.length} rows)`, differ)}
${table(`The same on every kernel (${same.length} rows)`, same)}
`))
}

/** The rows as a Markdown table (for a closing note or a terminal): only those that differ, unless `all`. */
export function kernelsMarkdown (sides: readonly KernelSide[], rows: readonly KernelRow[], all = false): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const rs = rows.filter(r => all || r.differs)
  return [`| | ${sides.map(s => `${s.name} (${s.release})`).join(' | ')} | why |`, `|${'---|'.repeat(sides.length + 2)}`,
    ...rs.map(r => `| ${cell(`${r.section}: ${r.what}`)} | ${r.values.map(x => cell(x.text)).join(' | ')} | ${cell(r.why ?? '')} |`)].join('\n')
}
