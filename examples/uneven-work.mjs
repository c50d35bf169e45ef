// A handler whose work is uneven, for `reuseport-bench run --handler examples/uneven-work.mjs`: most
// requests take about 50 us of CPU, one in 50 takes 20 ms (a slow route, a cache miss, a GC pause). With a
// new connection per request (--churn 1) the listener that drew a slow one falls behind while the kernel's
// hash keeps sending it connections; a load-aware --steer (least-loaded, two-choices) should not.
// Each process draws from its own seeded sequence, so runs are comparable and no two processes move in step.
let state = (process.pid * 2654435761) >>> 0

function next () {
  // xorshift32: a fixed, cheap sequence per process
  state ^= state << 13; state >>>= 0
  state ^= state >>> 17
  state ^= state << 5; state >>>= 0
  return state / 0x100000000
}

function spin (us) {
  const end = performance.now() + us / 1000
  while (performance.now() < end) { /* CPU work */ }
}

export default function handler (req, res) {
  spin(next() < 0.02 ? 20_000 : 50)
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 })
  res.end('ok\n')
}
