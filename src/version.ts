/**
 * This tool's version, from package.json, recorded in every document it writes.
 */
import { readFileSync } from 'node:fs'

export function toolVersion (): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
