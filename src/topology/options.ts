/**
 * Which port-sharing socket option each mode uses on this OS, decided from the
 * addon's capabilities() (what the headers define), never from the platform name.
 */
import { UsageError } from '../errors.js'
import type { Capabilities } from '../native/index.js'
import type { Mode } from '../protocol.js'

export interface ReuseChoice {
  reuseport: boolean
  reuseportLb: boolean
  /** The option as people know it, for tables and reports. */
  option: 'SO_REUSEPORT' | 'SO_REUSEPORT_LB' | 'shared fd' | 'cluster (round-robin)' | 'none'
  /** What a reader must know about this choice here; '' when nothing. */
  note: string
}

export function reuseChoice (mode: Mode, caps: Capabilities): ReuseChoice {
  switch (mode) {
    case 'reuseport':
      if (caps.SO_REUSEPORT && caps.reuseportBalances) return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: '' }
      if (caps.SO_REUSEPORT_LB) return { reuseport: false, reuseportLb: true, option: 'SO_REUSEPORT_LB', note: 'plain SO_REUSEPORT does not balance TCP connections on this OS, so reuseport uses SO_REUSEPORT_LB (see reuseport-plain for the plain option)' }
      if (caps.SO_REUSEPORT) return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: 'this OS has no balancing variant of SO_REUSEPORT: expect one listener to take the connections' }
      throw new UsageError('mode reuseport needs SO_REUSEPORT or SO_REUSEPORT_LB, and this OS defines neither', 'RB_UNSUPPORTED')
    case 'reuseport-plain':
      if (!caps.SO_REUSEPORT) throw new UsageError('mode reuseport-plain needs SO_REUSEPORT, which this OS does not define', 'RB_UNSUPPORTED')
      return { reuseport: true, reuseportLb: false, option: 'SO_REUSEPORT', note: caps.reuseportBalances ? 'plain SO_REUSEPORT balances on this OS: the same as reuseport here' : 'plain SO_REUSEPORT: on this OS the last socket to bind takes the connections' }
    case 'shared':
      return { reuseport: false, reuseportLb: false, option: 'shared fd', note: '' }
    case 'cluster':
      return { reuseport: false, reuseportLb: false, option: 'cluster (round-robin)', note: '' }
    case 'single':
      return { reuseport: false, reuseportLb: false, option: 'none', note: '' }
  }
}
