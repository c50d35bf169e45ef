/**
 * A user's request handler (--handler FILE), loaded in the listener process
 * exactly as the user's own server would load it: a native import of their
 * module, whose own dependencies resolve from its own folder. The default
 * export may be a Node request listener `(req, res)` (plain http, Express),
 * an object with `callback()` (a Koa app), or a factory with no parameters,
 * sync or async, returning either (Fastify: see the README).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { pathToFileURL } from 'node:url'
import { UsageError } from '../errors.js'
import { fieldOf } from '../shape.js'

/** The request listener a module's default export stands for; a UsageError naming the file otherwise. */
export async function listenerOf (exported: unknown, file: string): Promise<RequestListener> {
  let x = exported
  // A function of no parameters is a factory; (req, res) and Express's (req, res, next) are listeners.
  if (typeof x === 'function' && x.length === 0) x = await (x as () => unknown)()
  const callback = fieldOf(x, 'callback')
  if (typeof callback === 'function') x = Reflect.apply(callback, x, [])
  if (typeof x === 'function') return x as RequestListener
  throw new UsageError(`--handler ${file}: its default export is not a request listener (req, res), a factory returning one, or an app with callback() (got ${x === null ? 'null' : typeof x})`)
}

/** Imports `file` (an absolute path) and gives its request listener; one line naming the file and the error when it cannot. */
export async function loadHandler (file: string): Promise<RequestListener> {
  let mod: { default?: unknown }
  try {
    mod = await import(pathToFileURL(file).href) as { default?: unknown }
  } catch (err) {
    throw new UsageError(`--handler ${file}: cannot be loaded: ${err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)}`, 'RB_USAGE', { cause: err })
  }
  return await listenerOf(mod.default, file)
}

/**
 * Calls the handler for one request; a throw or a rejected promise goes to
 * `failed` (which ends the run: a broken handler measures nothing).
 */
export function callHandler (handler: RequestListener, req: IncomingMessage, res: ServerResponse, failed: (err: unknown) => void): void {
  try {
    const r: unknown = handler(req, res)
    // A promise or any thenable the handler returned: its rejection is the handler's failure.
    const then = fieldOf(r, 'then')
    if (typeof then === 'function') Reflect.apply(then, r, [undefined, failed])
  } catch (err) {
    failed(err)
  }
}
