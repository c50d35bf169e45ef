// The line wire (ipc/wire.ts): lines split across chunks, a line over the
// limit dropped as it arrives and reported once, what is not JSON reported,
// and a closed other end making the wire closed rather than throwing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PassThrough } from 'node:stream'
import { LineSplitter, lineWire } from '../../src/ipc/wire.js'
import type { LineFault } from '../../src/ipc/wire.js'

test('lines are split across chunks and empty lines skipped', () => {
  const lines: string[] = []
  const s = new LineSplitter(100, l => lines.push(l), () => assert.fail('no fault expected'))
  s.push(Buffer.from('{"a":'))
  s.push(Buffer.from('1}\n\n{"b":2}\n{"c"'))
  s.push(Buffer.from(':3}\n'))
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}'])
})

test('a line over the limit is dropped up to its newline, reported once, and the next line still arrives', () => {
  const lines: string[] = []
  const faults: LineFault[] = []
  const s = new LineSplitter(10, l => lines.push(l), f => faults.push(f))
  s.push(Buffer.from('x'.repeat(8)))
  s.push(Buffer.from('y'.repeat(50))) // over the limit: nothing of it is kept
  s.push(Buffer.from('z'.repeat(50) + '\nok\n'))
  assert.deepEqual(faults, ['oversized'])
  assert.deepEqual(lines, ['ok'])
})

test('lineWire delivers JSON messages, reports malformed lines, and sends one line per message', async () => {
  const input = new PassThrough()
  const output = new PassThrough()
  const faults: Array<[LineFault, string | undefined]> = []
  const got: unknown[] = []
  const wire = lineWire(input, output, { maxLineBytes: 1000, onFault: (f, l) => faults.push([f, l]) })
  wire.onMessage(m => got.push(m))
  input.write('{"rb":"request","seq":1}\nnot json\n')
  await new Promise(r => setImmediate(r))
  assert.deepEqual(got, [{ rb: 'request', seq: 1 }])
  assert.deepEqual(faults, [['malformed', 'not json']])
  const sent = new Promise<string>(resolve => output.once('data', (d: Buffer) => resolve(d.toString())))
  wire.send({ rb: 'reply', seq: 1 })
  assert.equal(await sent, '{"rb":"reply","seq":1}\n')
  assert.equal(wire.open, true)
  wire.end()
  assert.equal(wire.open, false)
  let called = false
  wire.send({ late: true }, () => { called = true })
  assert.equal(called, true, 'a send on a closed wire completes at once, without throwing')
})
