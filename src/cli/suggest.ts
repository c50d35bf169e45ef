/**
 * "did you mean --workers?": the flag nearest to a mistyped one, as git and cargo suggest a command.
 * Distance is Damerau-Levenshtein (a swap of two neighbours is one edit: wrokers -> workers).
 */

/** Edits (insert, delete, replace, swap neighbours) from `a` to `b`. */
export function editDistance (a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_x, i) => Array.from({ length: b.length + 1 }, (_y, j) => i === 0 ? j : j === 0 ? i : 0))
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1)
      const row = d[i]
      if (row !== undefined) row[j] = v
    }
  }
  return at(a.length, b.length)
}

/** The known flag nearest to `given` (without dashes), when it is near enough to be a typo: at most a third of its letters. */
export function nearestFlag (given: string, known: readonly string[]): string | undefined {
  const word = given.replace(/^-+/, '').split('=')[0] ?? ''
  if (word.length < 2) return undefined
  let best: { flag: string, d: number } | undefined
  for (const k of known) {
    if (k.length < 2) continue
    const dist = editDistance(word.toLowerCase(), k.toLowerCase())
    if (best === undefined || dist < best.d) best = { flag: k, d: dist }
  }
  return best !== undefined && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.flag : undefined
}

/** yargs' "Unknown argument: wrokers" with a suggestion for each unknown flag that has a near one. */
export function withSuggestions (message: string, known: readonly string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message)
  if (m === null) return message
  const hints = (m[1] ?? '').split(', ').flatMap(w => {
    const near = nearestFlag(w, known)
    return near === undefined ? [] : [`did you mean --${near} (not ${w})?`]
  })
  return hints.length === 0 ? message : `${message}; ${hints.join('; ')}`
}
