// Shared by the tests of runs over several hosts: what a merged cell must
// hold whatever the transport, and which remote sides are still running.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import type { ModeRun } from '../src/types/run.js'
import { notAnotherTests } from './helpers.js'

/**
 * Remote sides (serve|load --control stdio) running on this machine now, except those another test process
 * started (helpers.ts tags every process a test starts with its pid), so files side by side do not see each other's.
 */
export function controlSides (): string[] {
  let lines: string[]
  try {
    lines = execFileSync('pgrep', ['-af', '(serve|load) --control stdio'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\n').filter(l => l.trim() !== '')
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
  return lines.filter(l => notAnotherTests(Number(l.trim().split(' ')[0])))
}

/** Checks that one cell's accounting adds up across its client hosts and the listeners; returns its hosts record. */
export function assertMergedAcrossHosts (r: ModeRun, clients: number, connections: number): NonNullable<ModeRun['hosts']> {
  const h = r.hosts
  assert.ok(h !== undefined, 'the cell records its hosts')
  assert.equal(h.clients.length, clients)
  const shares = h.clients.map(c => c.connections)
  assert.equal(shares.reduce((a, b) => a + b, 0), connections, 'the hosts\' shares add up to the cell\'s connections')
  assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, `shares as even as whole numbers allow: ${shares.join('/')}`)
  for (const c of h.clients) assert.equal(c.connectionsOpened, c.connections, `${c.via} opened its share`)
  assert.equal(r.client.connectionsOpened, h.clients.reduce((a, c) => a + c.connectionsOpened, 0), 'the merged client opened what the hosts opened')
  assert.equal(r.client.responses, h.clients.reduce((a, c) => a + c.responses, 0), 'the merged responses are the hosts\' sum')
  assert.equal(r.accounting.listenerAccepts, r.client.connectionsOpened, 'the listeners accepted every connection all clients opened')
  assert.equal(r.accounting.acceptsMatch, true)
  assert.equal(r.accounting.explained, true, r.accounting.note)
  assert.ok(r.client.responses > 0)
  assert.equal(r.client.errors, 0)
  assert.match(h.clock.assumption, /shortest of 5 round trips/)
  // Not before its start (within what the clock reading can be off, and a millisecond), and soon after it.
  for (const c of h.clients) assert.ok(c.startedAfterMs >= -c.clock.rttMs / 2 - 1 && c.startedAfterMs < 250, `${c.via} began ${c.startedAfterMs} ms from the planned start`)
  return h
}
