// A plain Node request handler for `reuseport-bench run --handler examples/json-api.mjs`:
// one JSON route with a little CPU work (hashing the query 200 times), 404 elsewhere.
// The default export is what http.createServer(handler) would take.
import { createHash } from 'node:crypto'

export default function handler (req, res) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname !== '/' && url.pathname !== '/api/items') {
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end('{"error":"not found"}')
    return
  }
  let digest = url.search
  for (let i = 0; i < 200; i++) digest = createHash('sha256').update(digest).digest('hex')
  const body = JSON.stringify({ items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }], digest: digest.slice(0, 16), pid: process.pid })
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
