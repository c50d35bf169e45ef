/**
 * What a listener holds of its group's steering program (topology/steer), and
 * the figures it reports of it: opened on its socket's fd as it starts, its
 * state read while held, and let go of as a stop or a drain says (the final
 * state kept, detached where the program's kind says). The HTTP and the UDP
 * listener hold it alike.
 */
import { openSteering } from '../steer/index.js'
import type { GroupSteering } from '../steer/index.js'
import type { ListenerStats } from '../../types/listener.js'
import type { Steering, SteeringIds } from '../../types/native.js'

export class HeldSteering {
  /** The program while held; undefined before it is opened and after it is let go of. */
  program: GroupSteering | undefined
  private figures: ListenerStats['steering']

  /** Opens `s` on the socket `fd` of listener `index`; the ids the other listeners join by, where it made the objects. */
  open (s: Steering, fd: number, index: number): SteeringIds | undefined {
    this.program = openSteering(s, fd, index)
    this.figures = { attached: true }
    return this.program.ids
  }

  /** The steering figures now: while the program is held, its state as read this moment. */
  now (): ListenerStats['steering'] {
    const state = this.program?.state()
    return this.figures === undefined || state === undefined ? this.figures : { ...this.figures, ebpf: state }
  }

  /** Lets go of the program as a stop (the end of the cell) or a drain (a restart) does. */
  release (on: 'stop' | 'drain'): void {
    const s = this.program
    if (s === undefined || this.figures === undefined) return
    const state = s.state()
    if (state !== undefined) this.figures.ebpf = state
    if (on === 'stop' ? s.detachOnStop : s.detachOnDrain) this.figures.detached = s.detach()
    s.close()
    this.program = undefined
  }
}
