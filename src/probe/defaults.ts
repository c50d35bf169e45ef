/**
 * The probe's defaults, the same for `reuseport-bench probe`, `run --probe`
 * and the API's probe(): a specific loopback address, a free port, three
 * agents, Cloudflare's two ways of waiting for a connection, and IPv6 rows on
 * ::1 where this host has it.
 */
import { assertLocalAddress } from '../topology/address.js'

export const PROBE_IP6 = '::1'
/** Cloudflare's accept experiment runs both of its ways of waiting. */
export const PROBE_DEFAULTS = { ip: '127.0.0.2', port: 0, workers: 3, sequence: 6, spread: 60, styles: ['blocking', 'epoll-exclusive'] as const }

/** ::1 when this host has IPv6 loopback, '' (IPv6 rows skipped, with the reason) otherwise. */
export function defaultIp6 (): string {
  try {
    assertLocalAddress(PROBE_IP6)
    return PROBE_IP6
  } catch {
    return ''
  }
}
