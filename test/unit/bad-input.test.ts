// Bad input, class by class, against the functions the commands call (plan/options.ts and
// plan/validate.ts for run and serve, engine/session.ts for what the host decides, store/load.ts
// and cli/report.ts for files): each refuses with a HarnessError of exit code 2 whose message is one line.
// cli.test.ts runs one case per command through the CLI itself, for the exit code and the stderr.
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { test } from 'node:test'
import { cmdCompare, compareNames, resolveDocFile } from '../../src/cli/report.js'
import { openSession } from '../../src/engine/session.js'
import { HarnessError } from '../../src/errors.js'
import { planFromArgs } from '../../src/plan/options.js'
import { loadProbe, loadResult } from '../../src/store/load.js'
import { createRunDir } from '../../src/store/runDir.js'
import { makeDoc, makeRun } from '../fixtures.js'
import { scratch } from '../scratch.js'

/** `--flag value` pairs (a bare flag is true, a repeated one an array), as yargs hands them on. */
function flags (args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < args.length; i++) {
    const flag = (args[i] ?? '').replace(/^--/, '')
    const next = args[i + 1]
    const value = next === undefined || next.startsWith('--') ? true : (i++, next)
    const had = out[flag]
    out[flag] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value]
  }
  return out
}

function refuses (what: string, fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof HarnessError, `${what}: ${String(e)}`)
    assert.equal(e.exitCode, 2)
    assert.match(e.message, re, what)
    assert.equal(e.message.split('\n').length, 1, `${what}: one line`)
    return true
  })
}

const PLAN: Array<[string[], RegExp]> = [
  [['--workers', '0'], /--workers must be an integer from 1/],
  [['--workers', 'four'], /--workers must be a number/],
  [['--connections', '-5'], /--connections must be an integer/],
  [['--duration', '0'], /--duration must be from/],
  [['--port', '65536'], /--port must be an integer from 0 to 65535/],
  [['--port', 'http'], /--port must be a number/],
  [['--modes', 'reuseport,fast'], /unknown mode 'fast'/],
  [['--rate', '1e9'], /--rate must be a number|--rate must be an integer/],
  [['--backlog', '0'], /--backlog must be an integer from 1/],
  // lists: an empty item is refused, not skipped
  [['--modes', 'reuseport,,'], /--modes has an empty item in 'reuseport,,'/],
  [['--modes', ',shared'], /--modes has an empty item/],
  [['--modes', ''], /--modes needs at least one value/],
  [['--workers', '1,,2'], /--workers has an empty item/],
  [['--connections', '10,'], /--connections has an empty item/],
  // numbers: not a decimal, out of range, not an integer, repeated
  [['--duration', '1e3'], /--duration must be a number of seconds, or a duration with its unit \(500ms, 10s, 2m\), got '1e3'/],
  [['--duration', '0x10'], /--duration must be a number/],
  [['--duration', 'Infinity'], /--duration must be a number/],
  [['--workers', '2.5'], /--workers must be an integer from 1/],
  [['--workers', ''], /--workers needs at least one value/],
  [['--trials', '0'], /--trials must be an integer from 1 to 100/],
  [['--seed', '-1'], /--seed must be an integer from 0/],
  [['--pause', '61'], /--pause must be from 0 to 60 seconds/],
  [['--workers', '2', '--workers', '3'], /--workers was given 2 times; give it once/],
  [['--port', '1', '--port', '2'], /--port was given 2 times/],
  [['--duration', '2s', '--duration', '0.2'], /--duration was given 2 times; give it once/],
  // thresholds: a metric's range and unit; ones that are always or never crossed
  [['--fail-if', 'jain<2'], /--fail-if 'jain<2' is always crossed: jain takes from 0 to 1/],
  [['--fail-if', 'jain>1'], /--fail-if 'jain>1' is never crossed/],
  [['--fail-if', 'busiest>100%'], /is never crossed/],
  [['--fail-if', 'busiest>150%'], /is never crossed/],
  [['--fail-if', 'busiest>50ms'], /busiest takes from 0% to 100% \(or 0 to 1\), not 'ms'/],
  [['--fail-if', 'p99>50%'], /p99 takes a latency with its unit, e\.g\. 50ms or 1s, not '%'/],
  [['--fail-if', 'p99>50'], /p99 takes a latency with its unit/],
  [['--fail-if', 'jain<0.9ms'], /jain takes from 0 to 1.*not 'ms'/],
  [['--fail-if', 'rps<0'], /'rps<0' is never crossed/],
  [['--fail-if', 'errors>-1'], /is not METRIC<VALUE/],
  [['--fail-if', 'speed>3'], /is not METRIC<VALUE/],
  // combinations that make no sense
  [['--client-addrs', '4'], /--client-addrs applies only with --client-netns/],
  [['--client-cpus', 'x'], /--client-cpus takes auto, all, or CPU numbers/],
  [['--listener-cpus', '0-'], /--listener-cpus takes auto, all/],
  [['--client-netns', '--host', '127.0.0.1'], /leave out --host/],
  [['--restart-busy-ms', '50'], /--restart-busy-ms applies only with --restart/],
  [['--steer', 'cpu', '--modes', 'shared'], /--steer applies to reuseport, reuseport-plain, incoming-cpu only/],
  [['--steer', 'first', '--modes', 'node-reuseport,threads,bound-socket,cluster-reuseport'], /--steer applies to reuseport, reuseport-plain, incoming-cpu only \(listeners whose sockets the addon opens\)/],
  [['--stall', '1:10:100', '--modes', 'single,reuseport'], /--stall names listener 1, but a cell has only listener 0/],
  [['--stall', '3:10:100', '--workers', '4,2'], /--stall names listener 3, but there are 2/],
  [['--rate', '10', '--connections', '50'], /--rate 10 is below --connections 50/],
  [['--label', 'two\nlines'], /--label must be one line of printable text/],
  [['--scenario', 'nope'], /unknown scenario 'nope'/],
  [['--driver', 'wrk9'], /unknown load driver 'wrk9'; known drivers: autocannon/],
  [['--protocol', 'quic'], /--protocol must be one of tcp, udp, got 'quic'/],
  [['--protocol', 'udp', '--modes', 'reuseport,threads'], /--protocol udp: threads cannot serve UDP; the modes that can: reuseport, reuseport-plain, shared, cluster, single, node-reuseport/],
  [['--protocol', 'udp', '--driver', 'autocannon'], /--driver autocannon loads HTTP over TCP; with --protocol udp use dgram/],
  [['--driver', 'dgram'], /--driver dgram loads UDP; with --protocol tcp use autocannon or paced or undici/],
  [['--datagram-size', '100'], /--datagram-size applies only with --protocol udp/],
  [['--protocol', 'udp', '--datagram-size', '8'], /--datagram-size must be an integer from 16 to 65507/],
  [['--protocol', 'udp', '--churn', '1'], /--protocol udp does not take --churn/],
  [['--protocol', 'udp', '--steer', 'least-loaded'], /^--steer least-loaded with --protocol udp: the eBPF programs weigh each socket by a TCP listener's accept queue and open connections, which a UDP socket has not; the classic programs \(cpu, first\) steer a UDP group$/],
  [['--protocol', 'udp', '--modes', 'reuseport,shared', '--steer', 'reuseport=hash'], /^--steer hash with --protocol udp: the eBPF programs/],
  [['--heavy-flows', '1:50%'], /--heavy-flows applies only with --protocol udp/],
  [['--udp-connect'], /--udp-connect applies only with --protocol udp/],
  [['--udp-connect-arms', 'reuseport'], /^--udp-connect-arms applies only with --protocol udp$/],
  [['--protocol', 'udp', '--modes', 'reuseport', '--udp-connect-arms', 'reuseport#2'], /^--udp-connect-arms names reuseport#2, not among --modes \(reuseport\)/],
  [['--protocol', 'udp', '--modes', 'reuseport,shared', '--udp-connect-arms', 'shared'], /^--udp-connect: shared cannot connect a socket of its own to each flow/],
  [['--protocol', 'udp', '--modes', 'reuseport', '--udp-connect', '--udp-connect-arms', 'reuseport'], /^--udp-connect-arms and --udp-connect: every arm connects/],
  [['--protocol', 'udp', '--udp-connect', '--modes', 'reuseport,shared'], /--udp-connect: shared cannot connect a socket of its own to each flow; the modes that can: reuseport, reuseport-plain, single/],
  [['--protocol', 'udp', '--heavy-flows', '1:50%'], /--heavy-flows needs --rate R/],
  [['--protocol', 'udp', '--rate', '1000', '--heavy-flows', '1:150%'], /--heavy-flows must be K:SHARE/],
  [['--protocol', 'udp', '--rate', '1000', '--flows', '4', '--heavy-flows', '4:50%'], /4 heavy flows leave none of the 4 flows of a cell/],
  [['--protocol', 'udp', '--rate', '1000', '--client-threads', '2', '--heavy-flows', '1:0.5'], /--heavy-flows takes one client thread/],
  [['--protocol', 'udp', '--scenario', 'restart'], /--protocol udp does not take --churn|--protocol udp does not take --restart/]
]

for (const [args, re] of PLAN) {
  test(`the plan refuses ${args.join(' ')}`, () => refuses(args.join(' '), () => planFromArgs(flags(args)), re))
}

// What the host decides, before anything starts: the address, the CPUs.
const HOST: Array<[string[], RegExp]> = [
  [['--host', '192.0.2.1'], /192\.0\.2\.1 is not an address of this machine/],
  [['--host', 'example.com'], /--host must be an IP address/],
  [['--listener-cpus', '1000'], /--listener-cpus 1000: this process may run only on CPUs/]
]

for (const [args, re] of HOST) {
  test(`the session refuses ${args.join(' ')} before anything starts`, async () => {
    await assert.rejects(openSession(planFromArgs(flags(args))), (e: unknown) => {
      assert.ok(e instanceof HarnessError, String(e))
      assert.match(e.message, re)
      assert.equal(e.message.split('\n').length, 1)
      return true
    })
  })
}

test('with client hosts only, the listeners are here: a port another socket holds is refused before anything starts', async () => {
  const other = net.createServer()
  await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve))
  const port = (other.address() as net.AddressInfo).port
  try {
    await assert.rejects(openSession(planFromArgs(flags(['--client-via', 'env', '--target', `127.0.0.1:${port}`]))), (e: unknown) =>
      e instanceof HarnessError && new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`).test(e.message))
  } finally {
    await new Promise<void>(resolve => other.close(() => resolve()))
  }
})

test('files: missing, cut, of another version, a folder without a result, not a result, not a probe; --out on a file', () => {
  const tmp = scratch('rb-bad-')
  try {
    const file = (name: string, text: string): string => { const f = path.join(tmp, name); writeFileSync(f, text); return f }
    const good = file('good.json', JSON.stringify(makeDoc([])))
    refuses('missing', () => loadResult(path.join(tmp, 'missing.json')), /cannot read .*missing\.json: no such file/)
    refuses('cut', () => loadResult(file('trunc.json', '{"schemaVersion": 1, "runs": [')), /not valid JSON \(truncated/)
    refuses('version', () => loadResult(file('v9.json', '{"schemaVersion": 9}')), /\(result-1\.schema\.json\): schemaVersion must be 1, got 9$/)
    refuses('folder', () => resolveDocFile(tmp, 'result.json'), /is a folder with no result\.json in it/)
    refuses('empty', () => loadResult(file('empty.json', '')), /not valid JSON/)
    refuses('array', () => loadResult(file('array.json', '[]')), /not a result this tool can read \(result-1\.schema\.json\): the document must be an object, got \[\]/)
    refuses('probe', () => loadProbe(good), /is a result document, not a probe/)
    refuses('--out on a file', () => createRunDir(good, new Date()), /--out .*good\.json: cannot create a folder for results there \((ENOTDIR|EEXIST)\)/)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
})

test('compare refuses a UDP result beside a TCP one, even with --allow-different-plans (datagrams/s are not req/s)', async () => {
  const tmp = scratch('rb-bad-')
  try {
    const tcp = path.join(tmp, 'tcp.json')
    const udp = path.join(tmp, 'udp.json')
    const doc = makeDoc([makeRun('reuseport', [5, 5])])
    writeFileSync(tcp, JSON.stringify(doc))
    writeFileSync(udp, JSON.stringify({ ...doc, plan: { ...doc.plan, protocol: 'udp', driver: 'dgram', datagramBytes: 64 } }))
    await assert.rejects(cmdCompare({ results: [tcp, udp], 'allow-different-plans': true, out: path.join(tmp, 'c.html') }), (e: unknown) =>
      e instanceof HarnessError && e.exitCode === 2 && /compare puts UDP runs beside UDP runs and TCP runs beside TCP runs/.test(e.message) && !e.message.includes('\n'))
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
})

test('compare --names: an empty name, or a count that is not the results\'', () => {
  const doc = makeDoc([])
  refuses('empty name', () => compareNames([doc, doc], 'a,'), /--names has an empty name/)
  refuses('count', () => compareNames([doc, doc], 'one'), /--names has 1 names for 2 results/)
})
