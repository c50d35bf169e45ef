/**
 * `load --control stdio`: a client host's side of `run --client-via`, started
 * there through the transport; see load/remoteSide.ts.
 */
import { loadControl } from '../load/remoteSide.js'

/** `control` is 'stdio', the one value the CLI takes. */
export interface LoadArgs { control: 'stdio' }

export async function cmdLoad (_a: LoadArgs): Promise<void> {
  await loadControl()
}
