/**
 * One colour per mode in every chart of a report and of a comparison
 * (Okabe-Ito, readable with the common colour-vision deficiencies), and a
 * dash pattern per result where a comparison puts several in one chart.
 * Each listener kind carries its own colour (topology/kinds).
 */
import { LISTENER_KINDS } from '../../topology/kinds/index.js'

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']

/** The colour of `mode` (a variant such as "reuseport [migrate]" takes its mode's). */
export function modeColor (mode: string): string {
  const base = mode.split(' ')[0] ?? mode
  // A kind's own colour; its second arm (reuseport#2), or a mode this version does not know, one of the rest by its name.
  const fixed = LISTENER_KINDS.find(k => k.mode === base)?.color
  if (fixed !== undefined) return fixed
  let h = 0
  for (const ch of base) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[6 + (h % 2)] ?? '#000000'
}

/** SVG stroke-dasharray of the i-th result in one chart: solid, dashed, dotted, dash-dot. */
export function resultDash (i: number): string {
  return ['', '6 3', '2 3', '8 3 2 3'][i % 4] ?? ''
}
