/**
 * Markup escaped by default: `html` is a tagged template whose every interpolated value is escaped
 * unless it is Markup that this module's `html` built from our own template text. Lists are joined,
 * and null, undefined and false leave nothing. A string from a document (a label, a mode, an error)
 * can therefore never become markup, in any field, including fields added later. Markup cannot be
 * turned back into a string by accident: only `pageText` reads it, at the very end.
 */

/** Escapes text for element content and attribute values (always quoted with "). */
function escapeText (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const BUILT = Symbol('markup')

/** Markup built by `html` (or `join`) from our own template text and escaped values. */
export interface Markup { readonly [BUILT]: string }

/** What a template may interpolate: markup as it is; text and numbers escaped; lists joined; nothing for null, undefined, false. */
export type Interp = Markup | string | number | boolean | null | undefined | readonly Interp[]

const isMarkup = (v: unknown): v is Markup => typeof v === 'object' && v !== null && BUILT in v

function built (text: string): Markup {
  return Object.freeze({
    [BUILT]: text,
    // A Markup that reaches a plain template or a string join is a mistake that would print "[object]": say so.
    toString (): string { throw new Error('markup used as a string: interpolate it in html`...`, or read it with pageText()') }
  })
}

function rendered (v: Interp): string {
  if (v === null || v === undefined || v === false) return ''
  if (isMarkup(v)) return v[BUILT]
  if (Array.isArray(v)) return (v as readonly Interp[]).map(rendered).join('')
  return escapeText(String(v))
}

/** The tagged template: our text as it is, every value escaped unless it is Markup. */
export function html (strings: TemplateStringsArray, ...values: readonly Interp[]): Markup {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += rendered(values[i]) + (strings[i + 1] ?? '')
  return built(out)
}

/** Items joined by a separator (itself escaped unless markup). */
export function join (items: readonly Interp[], sep: Interp): Markup {
  return built(items.map(rendered).join(rendered(sep)))
}

/** Markup with nothing in it. */
export const NONE: Markup = built('')

/** The text of finished markup (a page, to write to a file; a part, to look into in a test). */
export function pageText (m: Markup | ''): string {
  return m === '' ? '' : m[BUILT]
}
