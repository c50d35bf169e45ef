/**
 * `load --control stdio`: a client host's side of `run --client-via`, started
 * there through the transport; see remote/loadSide.ts.
 */
import { UsageError } from '../errors.js'
import { loadControl } from '../remote/loadSide.js'

export interface LoadArgs { control: string }

export async function cmdLoad (a: LoadArgs): Promise<void> {
  if (a.control !== 'stdio') throw new UsageError(`--control takes only stdio, got '${String(a.control)}'`)
  await loadControl()
}
