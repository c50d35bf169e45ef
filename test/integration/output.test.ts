// Every command's output arrives whole (cli/output.ts): a piped --json read by a slow reader is
// the whole result, byte for byte; a reader that goes away ends the command quietly (real CLI, real pipes).
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { BIN } from '../helpers.js'
import { scratch } from '../scratch.js'

const out = scratch('rb-output-')
test.after(() => rmSync(out, { recursive: true, force: true }))

/** Runs the CLI with stdout on a pipe whose reader starts `delaySec` late (`| (sleep N; cat)`), as a slow consumer does. */
function slowlyRead (args: string[], delaySec: number): Promise<{ code: number | null, stdout: Buffer, stderr: string }> {
  return new Promise((resolve, reject) => {
    const quoted = [process.execPath, BIN, ...args].map(a => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
    // The CLI's own exit code, not the reader's, through PIPESTATUS.
    const child = spawn('bash', ['-c', `${quoted} | (sleep ${delaySec}; cat); exit \${PIPESTATUS[0]}`], { stdio: ['ignore', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => chunks.push(d))
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out: ${stderr}`)) }, 90_000)
    child.on('close', code => { clearTimeout(t); resolve({ code, stdout: Buffer.concat(chunks), stderr }) })
  })
}

test('run --json to a pipe read 2 s late is the whole result.json, over 64 KiB (it was cut at 65,536 or 81,920 bytes)', async () => {
  // Six cells of 4 listeners: about 130 KB of JSON, well past one pipe buffer (one just over 64 KiB was not always cut).
  const r = await slowlyRead(['run', '--modes', 'reuseport,shared', '--trials', '3', '-d', '0.2', '--warmup', '0', '--pause', '0', '-w', '4', '-c', '50', '--json', '--out', out], 2)
  assert.equal(r.code, 0, r.stderr)
  const file = path.join(out, 'latest', 'result.json')
  const saved = readFileSync(file)
  assert.ok(saved.length > 98_304, `the test needs a result of one and a half pipe buffers or more, got ${saved.length}`)
  assert.equal(r.stdout.length, saved.length)
  assert.deepEqual(JSON.parse(r.stdout.toString('utf8')), JSON.parse(saved.toString('utf8')))
})

test('a reader that closes the pipe at once: the command ends by itself, quietly, without a stack', async () => {
  const child = spawn(process.execPath, [BIN, 'run', '--modes', 'reuseport', '--trials', '1', '-d', '0.3', '--warmup', '0', '-w', '2', '-c', '10', '--json', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.destroy() // as `| head -c 0` does
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const code = await new Promise<number | null>((resolve, reject) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('did not end')) }, 60_000)
    child.on('close', c => { clearTimeout(t); resolve(c) })
  })
  assert.equal(code, 0, stderr)
  assert.doesNotMatch(stderr, /EPIPE|\n\s+at /)
})

test('--help to a slow reader arrives whole and ends with the last line of the help', async () => {
  const r = await slowlyRead(['run', '--help'], 1)
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout.toString('utf8'), /Examples:[\s\S]*--target 192\.0\.2\.10/)
})
