/**
 * The registry of load drivers. A new driver is one file beside this one plus
 * one line here; --driver, --help and the plan's validation read this list.
 */
import { UsageError } from '../../errors.js'
import { autocannonDriver } from './autocannon.js'
import { pacedDriver } from './paced.js'
import type { LoadDriver } from './driver.js'

export const LOAD_DRIVERS: readonly LoadDriver[] = [
  autocannonDriver,
  pacedDriver
]

export function loadDriver (name: string): LoadDriver {
  const d = LOAD_DRIVERS.find(x => x.name === name)
  if (d === undefined) throw new UsageError(`unknown load driver '${name}'; known drivers: ${LOAD_DRIVERS.map(x => x.name).join(', ')}`)
  return d
}

/** "autocannon (...)" for --help. */
export function describeDrivers (): string {
  return LOAD_DRIVERS.map(d => `${d.name} (${d.description})`).join('; ')
}
