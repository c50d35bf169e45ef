// The part of autocannon@9's programmatic API this project uses (it ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'
  interface Options {
    url: string
    connections?: number
    duration?: number
    amount?: number
    pipelining?: number
    timeout?: number
    reconnectRate?: number
    connectionRate?: number
    overallRate?: number
    headers?: Record<string, string>
    skipAggregateResult?: boolean
    excludeErrorStats?: boolean
    setupClient?: (client: EventEmitter) => void
  }
  interface RawResult {
    latencies: string
    totalCompletedRequests: number
    totalRequests: number
    totalBytes: number
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    resets: number
    duration: number
    '2xx': number
  }
  interface Instance extends EventEmitter {
    stop(): void
  }
  function autocannon (opts: Options, cb: (err: Error | null, result: RawResult) => void): Instance
  export default autocannon
}
