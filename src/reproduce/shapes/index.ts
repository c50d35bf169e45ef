/**
 * The registry of shapes a study may check. A new shape is one file beside this one plus one line here; the
 * catalogue checks a study's checks against these, and `reproduce --list` names them.
 */
import { acceptOrder } from './acceptOrder.js'
import { colocated } from './colocated.js'
import { matrix } from './matrix.js'
import { placement } from './placement.js'
import { ratio } from './ratio.js'
import type { StudyShape } from './shape.js'
import { share } from './share.js'
import { wakeup } from './wakeup.js'

export const SHAPES: readonly StudyShape[] = [matrix, acceptOrder, placement, share, ratio, colocated, wakeup]

/** The shape of that name, or undefined. */
export function shapeNamed (name: string): StudyShape | undefined {
  return SHAPES.find(s => s.name === name)
}
