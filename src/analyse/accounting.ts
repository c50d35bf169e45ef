/**
 * Does what the client saw add up with what the listeners counted? If not, why.
 */
import type { LoadResult } from '../types/load.js'
import type { RunPlan } from '../types/plan.js'
import type { Accounting, ListenerResult } from '../types/run.js'

/** Compares what the client saw with what the listeners counted, and says why they may differ. */
export function account (plan: Pick<RunPlan, 'connections' | 'churn' | 'pipelining'>, load: Pick<LoadResult, 'connectionsOpened' | 'responses' | 'errors' | 'timeouts'>, listeners: ReadonlyArray<Pick<ListenerResult, 'accepts' | 'requests'>>): Accounting {
  const listenerAccepts = listeners.reduce((a, l) => a + l.accepts, 0)
  const listenerRequests = listeners.reduce((a, l) => a + l.requests, 0)
  const requestDifference = listenerRequests - load.responses
  /** Requests that may have been in flight when the client stopped: every connection's pipeline. */
  const inFlight = plan.connections * (plan.pipelining ?? 1)
  const notes: string[] = []
  if (listenerAccepts !== load.connectionsOpened) {
    notes.push(`accepts differ from client connections by ${listenerAccepts - load.connectionsOpened}${load.errors + load.timeouts > 0 ? ' (the client had errors or timeouts)' : plan.churn > 0 ? ' (a connection opened or dropped in the last instant of a churning run)' : ''}`)
  }
  if (requestDifference > 0) {
    notes.push(`listeners served ${requestDifference} more requests than the client received responses: up to ${inFlight} requests were in flight when the client stopped`)
  } else if (requestDifference < 0) {
    notes.push(`the client counted ${-requestDifference} more responses than the listeners served requests (warm-up responses arriving after the reset?)`)
  }
  return {
    clientConnections: load.connectionsOpened,
    listenerAccepts,
    acceptsMatch: listenerAccepts === load.connectionsOpened,
    clientResponses: load.responses,
    listenerRequests,
    requestDifference,
    explained: requestDifference >= 0 && requestDifference <= inFlight,
    note: notes.length === 0 ? 'exact' : notes.join('; ')
  }
}
