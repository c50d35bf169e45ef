// A run at --rate says how its driver paced, in the driver's own words (load/drivers: rateText):
// undici's load at a rate was once said to be autocannon's.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatModeRun } from '../../src/report/terminal.js'
import { makeRun } from '../fixtures.js'

const atRate = (): ReturnType<typeof makeRun> => {
  const r = makeRun('reuseport', [10, 10], 980)
  return { ...r, load: { ...r.load, rate: 1000 } }
}

const rateLine = (text: string): string => text.split('\n').find(l => l.startsWith('rate: ')) ?? ''

test('each driver words its own pacing; without a driver recorded, the default at that rate', () => {
  assert.match(rateLine(formatModeRun(atRate(), 'undici')), /^rate: asked 1,000 req\/s, delivered 980 req\/s \(98\.0%\); undici driver, each request slot's sends spaced evenly/)
  assert.match(rateLine(formatModeRun(atRate(), 'autocannon')), /; autocannon driver, paced per connection per second/)
  const paced = { ...atRate(), client: { ...atRate().client, paced: { intervalUs: 1000, intended: 1000, late: 3, unsent: 1 } } }
  assert.match(rateLine(formatModeRun(paced, 'paced')), /; paced driver: 1,000 requests scheduled, 3 late \(sent over 1(\.000)? ms after their time\), 1 never sent$/)
  assert.match(rateLine(formatModeRun(paced)), /; paced driver: 1,000 requests scheduled/)
  assert.equal(rateLine(formatModeRun(makeRun('shared', [1, 1]), 'undici')), '', 'no rate, no line')
})
