import { HttpError } from './errors.js'

export interface SearchQueueLimits {
  /** Searches allowed to wait for their turn; one more is refused at once with 503. */
  maxQueuedSearches: number
  /** How long a search may wait for its turn before it is answered 503 instead of run. */
  searchTimeoutMs: number
}

interface Waiting {
  run: () => void
  refuse: (error: HttpError) => void
  skip: () => void
  queuedAt: number
  abandoned: () => boolean
}

/**
 * Admission control for searches, the only costly requests. At most `concurrency` searches run at
 * once: 1 when they run synchronously on the event loop (the default), the pool's slots when they
 * run in worker threads and the search returns a promise. What this queue adds is that each waits
 * for its turn in the open: turns are handed out from `setImmediate`, so cheap requests
 * (`/healthz`, the page, a rate-limit refusal) are answered in between; a client that hung up is not
 * searched for; and when searches arrive faster than they are answered the excess is refused with
 * 503 and `Retry-After` rather than piling up in memory and latency.
 */
export class SearchQueue {
  private readonly waiting: Waiting[] = []
  private scheduled = false
  private running = 0
  /** Recent search time, for a Retry-After that reflects the backlog. */
  private averageMs = 1

  constructor(
    private readonly limits: SearchQueueLimits,
    private readonly concurrency = 1,
  ) {}

  /** Searches waiting now. */
  get length(): number {
    return this.waiting.length
  }

  /**
   * Runs `search` when its turn comes. Resolves to its result, or to `undefined` when the client had
   * gone by then; rejects with a 503 HttpError when the queue is full or the turn came too late.
   */
  run<T>(search: () => T | Promise<T>, abandoned: () => boolean = () => false): Promise<T | undefined> {
    if (this.waiting.length >= this.limits.maxQueuedSearches) {
      return Promise.reject(this.busy(`The server is busy: ${this.waiting.length} searches are waiting. Try again shortly.`))
    }
    return new Promise<T | undefined>((resolve, reject) => {
      this.waiting.push({
        run: () => {
          const started = performance.now()
          const done = () => {
            this.running--
            this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started) / this.concurrency
            this.schedule()
          }
          this.running++
          let result: T | Promise<T>
          try {
            result = search()
          } catch (err) {
            done()
            reject(err)
            return
          }
          if (result instanceof Promise) {
            result.then(resolve, reject).finally(done)
          } else {
            done()
            resolve(result)
          }
        },
        refuse: reject,
        skip: () => resolve(undefined),
        queuedAt: performance.now(),
        abandoned,
      })
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0 || this.running >= this.concurrency) return
    this.scheduled = true
    // setImmediate runs after the poll phase, so requests that arrived meanwhile are read first.
    setImmediate(() => {
      this.scheduled = false
      while (this.running < this.concurrency && this.next()) {
        // a synchronous search frees its slot at once; run one per turn so the loop can breathe
        if (this.concurrency === 1) break
      }
      this.schedule()
    })
  }

  /** Starts the next search still worth running; false when none was. Skipped ones cost nothing. */
  private next(): boolean {
    for (let item = this.waiting.shift(); item !== undefined; item = this.waiting.shift()) {
      if (item.abandoned()) {
        item.skip()
        continue
      }
      const waited = performance.now() - item.queuedAt
      if (waited > this.limits.searchTimeoutMs) {
        item.refuse(this.busy(`The server is busy: the search waited ${Math.round(waited)} ms for its turn. Try again shortly.`))
        continue
      }
      item.run()
      return true
    }
    return false
  }

  private busy(message: string): HttpError {
    const seconds = Math.max(1, Math.ceil(((this.waiting.length + 1) * this.averageMs) / 1000))
    return new HttpError(503, 'busy', message, undefined, { 'Retry-After': String(seconds) })
  }
}
