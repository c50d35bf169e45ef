/**
 * One option's value as typed, checked: given once, a number (with k/M), an
 * integer in range. Every plan option reads its value through these.
 */
import { UsageError } from '../errors.js'
import { parseCount } from './units.js'

/** An option given more than once arrives as an array: refused for every option that takes one value. */
export function single (name: string, v: unknown): unknown {
  if (Array.isArray(v)) throw new UsageError(`--${name} was given ${v.length} times; give it once`)
  return v
}

/** A number, as typed: plain, or with k/M for thousands and millions ('1k', '2.5M'). */
export function num (name: string, v: unknown): number {
  const x = single(name, v)
  const n = typeof x === 'number' ? x : typeof x === 'string' ? parseCount(x) : undefined
  if (n === undefined || Number.isNaN(n)) throw new UsageError(`--${name} must be a number (k and M allowed: 1k, 2.5M), got '${String(x)}'`)
  return n
}

export function integer (name: string, v: unknown, min: number, max: number): number {
  const n = num(name, v)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got '${String(v)}'`)
  }
  return n
}

/** "a,b,c" -> ['a', 'b', 'c']; an empty item ("a,,b", "a,") is refused, not skipped. */
export function listItems (name: string, v: unknown): string[] {
  const text = String(single(name, v) ?? '').trim()
  if (text === '') throw new UsageError(`--${name} needs at least one value`)
  const items = text.split(',').map(x => x.trim())
  if (items.some(x => x === '')) throw new UsageError(`--${name} has an empty item in '${text}'; separate values with single commas`)
  return items
}
