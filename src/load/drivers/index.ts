/**
 * The registry of load drivers. A new driver is one file beside this one plus
 * one line here; --driver, --help and the plan's validation read this list.
 */
import { UsageError } from '../../errors.js'
import { autocannonDriver } from './autocannon.js'
import { pacedDriver } from './paced.js'
import { dgramDriver } from './dgram.js'
import { undiciDriver } from './undici.js'
import type { LoadDriver } from './driver.js'
import type { Protocol } from '../../types/plan.js'

export const LOAD_DRIVERS: readonly LoadDriver[] = [
  autocannonDriver,
  pacedDriver,
  undiciDriver,
  dgramDriver
]

export function loadDriver (name: string): LoadDriver {
  const d = LOAD_DRIVERS.find(x => x.name === name)
  if (d === undefined) throw new UsageError(`unknown load driver '${name}'; known drivers: ${LOAD_DRIVERS.map(x => x.name).join(', ')}`)
  return d
}

/** The protocol a driver loads. */
export function driverProtocol (d: LoadDriver): Protocol {
  return d.protocol ?? 'tcp'
}

/** The driver a plan gets when --driver is not given: among those of its protocol, the one made for a rate when there is one, else the first. */
export function defaultDriver (rate: number, protocol: Protocol = 'tcp'): LoadDriver {
  const mine = LOAD_DRIVERS.filter(d => driverProtocol(d) === protocol)
  const first = mine[0]
  if (first === undefined) throw new Error(`no load driver for ${protocol} is registered`)
  return (rate > 0 ? mine.find(d => d.defaultWithRate === true) : undefined) ?? first
}

/** What client.correctedLatencyMs means, driver by driver (the one with a rate first). */
export function correctionNotes (): string {
  const withRate = [...LOAD_DRIVERS].sort((a, b) => Number(b.defaultWithRate === true) - Number(a.defaultWithRate === true))
  return `with --rate only. ${withRate.map(d => d.correctionNote).join(' ')}`
}

/** "autocannon (...)" for --help. */
export function describeDrivers (): string {
  return LOAD_DRIVERS.map(d => `${d.name} (${d.description})`).join('; ')
}
