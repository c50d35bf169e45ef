/**
 * Text from elsewhere (a document, a flag, a remote host) made inert on a terminal: control characters are
 * shown as text (`\x1b` for ESC), so a label cannot retitle a window, clear a screen or move the cursor.
 * Pure; imports nothing.
 */

/** C0 controls but newline and tab, DEL, and the C1 controls. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

/** The terminal sequences this tool writes itself: SGR colours (`ESC[...m`), erase to end of line (`ESC[K`), and a carriage return before it. */
const OURS = /\x1b\[[0-9;]*m|\x1b\[K|\r(?=\x1b\[K)/g

const shown = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`

/** Every control character of `s` but newline and tab shown as text. */
export function inert (s: string): string {
  return s.replace(CONTROL, shown)
}

/**
 * For what goes to a terminal: as `inert`, except for this tool's own colours and line erasing (which the
 * text from documents never carries once read: store/load.ts makes their strings inert).
 */
export function inertButOurs (s: string): string {
  let out = ''
  let at = 0
  for (const m of s.matchAll(OURS)) {
    out += inert(s.slice(at, m.index)) + m[0]
    at = (m.index ?? 0) + m[0].length
  }
  return out + inert(s.slice(at))
}

/** Every string of `v` (deeply) made inert, but those under the keys in `skip` (encoded data). */
export function inertStrings<T> (v: T, skip: ReadonlySet<string> = new Set()): T {
  if (typeof v === 'string') return inert(v) as T
  if (Array.isArray(v)) return v.map(x => inertStrings(x, skip)) as T
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    for (const k of Object.keys(o)) if (!skip.has(k)) o[k] = inertStrings(o[k], skip)
  }
  return v
}
