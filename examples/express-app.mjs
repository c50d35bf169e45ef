// An Express app for `reuseport-bench run --handler examples/express-app.mjs`: the
// app is itself a request listener (req, res, next), so it is the default export.
// Express resolves from this file's own folder, as it would in your project.
import express from 'express'

const app = express()
app.disable('x-powered-by')
app.get('/', (_req, res) => { res.json({ ok: true, pid: process.pid }) })
app.get('/api/users/:id', (req, res) => { res.json({ id: Number(req.params.id), name: `user ${req.params.id}` }) })

export default app
