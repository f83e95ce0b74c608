/** Runs child.ts tasks in fresh Node processes and collects what they send back. */
import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, ChildTask } from './child.js'

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url))

export interface ChildOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[]
}

/** Peers hold whole indexes in the JS heap: give every child the same generous heap limit. */
const HEAP_FLAGS = ['--max-old-space-size=16384']

/**
 * The Node flags `npm start` gives the server (package.json's start script, none today), so the bench's
 * HTTP server runs as users run it.
 */
export function startScriptFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts?: { start?: string } }
  const command = /^node((?:\s+--\S+)*)\s+bin\/jiansuo\.js serve\b/.exec(pkg.scripts?.start ?? '')
  if (!command) throw new Error('package.json: the start script is not `node [flags] bin/jiansuo.js serve`')
  return command[1]!.trim().split(/\s+/).filter(Boolean)
}

function start(task: ChildTask, options: ChildOptions): ChildProcess {
  // jiansuo's HTTP server runs with the flags users give it (startScriptFlags), not the peers' heap limit,
  // which also raises V8's first old-generation limit and so the memory it lets garbage take before collecting.
  const heap = task.phase === 'http' ? [] : HEAP_FLAGS
  return fork(CHILD, [JSON.stringify(task)], { execArgv: [...heap, ...(options.nodeFlags ?? [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

/** Waits for the child's result message and its exit; rejects with the child's error or exit status. */
function outcome<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let message: ChildMessage | undefined
    child.on('message', (m: ChildMessage) => {
      if (!('ready' in m)) message = m
    })
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      if (message && 'ok' in message && message.ok) resolve(message.result as T)
      else if (message && 'error' in message) reject(new Error(`${what}: ${message.error}`))
      else reject(new Error(`${what}: child exited with ${signal ?? `status ${code}`} and no result`))
    })
  })
}

export function runChild<T>(task: ChildTask, options: ChildOptions = {}): Promise<T> {
  return outcome<T>(start(task, options), `${task.phase}${'system' in task ? ` ${task.system}` : ''}`)
}

/** A child serving HTTP: its URL once listening, and how to stop it and get its result. */
export async function startServing<T>(task: Extract<ChildTask, { phase: 'http' }>, options: ChildOptions = {}): Promise<{ url: string; stop(): Promise<T> }> {
  const child = start(task, options)
  const done = outcome<T>(child, 'http')
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if ('ready' in m) resolve(m.ready)
    })
    done.catch(reject)
  })
  return {
    url,
    stop() {
      child.send('stop')
      return done
    },
  }
}
