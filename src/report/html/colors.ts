/**
 * One colour per mode in every chart of a report and of a comparison
 * (Okabe-Ito, readable with the common colour-vision deficiencies), and a
 * dash pattern per result where a comparison puts several in one chart.
 */

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']

/** Every mode the registry has, always in the same colour; a kind added later takes one of the rest by its name. */
const FIXED: Record<string, string> = {
  reuseport: '#0072B2',
  shared: '#D55E00',
  cluster: '#009E73',
  single: '#CC79A7',
  'reuseport-plain': '#E69F00',
  'node-reuseport': '#56B4E9',
  // Beyond Okabe-Ito's eight: Paul Tol's muted scheme, also distinct under the common deficiencies.
  'incoming-cpu': '#661100',
  threads: '#882255',
  'bound-socket': '#44AA99',
  'cluster-os': '#999933',
  'cluster-reuseport': '#AA4499'
}

/** The colour of `mode` (a variant such as "reuseport [migrate]" takes its mode's). */
export function modeColor (mode: string): string {
  const base = mode.split(' ')[0] ?? mode
  const fixed = FIXED[base]
  if (fixed !== undefined) return fixed
  let h = 0
  for (const ch of base) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[6 + (h % 2)] ?? '#000000'
}

/** SVG stroke-dasharray of the i-th result in one chart: solid, dashed, dotted, dash-dot. */
export function resultDash (i: number): string {
  return ['', '6 3', '2 3', '8 3 2 3'][i % 4] ?? ''
}
