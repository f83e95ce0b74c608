/**
 * wrk (the C load generator, `apt-get install wrk`) as the bench's HTTP load: one thread in a process of
 * its own, so the load costs the server a fraction of a core where autocannon in the bench's Node process
 * costs most of one. A generated Lua script sends the log's paths in order and, when the run ends, prints
 * one JSON line of wrk's counts; the text-making and parsing are pure, the run is `runWrk`.
 */
import { spawn } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** What wrk counted over one run; times in microseconds, as wrk keeps them. */
export interface WrkSummary {
  /** Complete responses, including those with a status ≥ 400 and those slower than wrk's timeout. */
  requests: number
  durationUs: number
  errors: { connect: number; read: number; write: number; status: number; timeout: number }
  latencyP50Us: number
  latencyP99Us: number
}

/** The wrk executable on PATH, or undefined. */
export function findWrk(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'wrk')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  return undefined
}

/** A double-quoted Lua string literal of `text`: printable ASCII as is, everything else as decimal byte escapes. */
export function luaString(text: string): string {
  let out = '"'
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c
    // Three digits, so a digit that follows is never read as part of the escape.
    out += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`
  }
  return out + '"'
}

/** Marks the script's result line among wrk's own report on stdout. */
const RESULT_KEY = 'jiansuoWrk'

/**
 * A wrk script that asks `paths` in order, from the first again after the last, and prints the run's
 * counts as one JSON line. Requests are formatted once in `init` (after wrk has set the Host header),
 * so each request costs wrk a table lookup.
 */
export function wrkScript(paths: readonly string[]): string {
  if (paths.length === 0) throw new Error('wrk script: no paths to ask')
  return [
    `local paths = {\n${paths.map((p) => `  ${luaString(p)},\n`).join('')}}`,
    'local formatted = {}',
    'local at = 0',
    '',
    'function init(args)',
    '  for i, path in ipairs(paths) do formatted[i] = wrk.format("GET", path) end',
    '  -- wrk takes one request from the first thread before the run, to check that it parses:',
    '  -- that one is the last path, and the run starts with the first.',
    '  at = #formatted - 1',
    'end',
    '',
    'function request()',
    '  at = at % #formatted + 1',
    '  return formatted[at]',
    'end',
    '',
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('{"${RESULT_KEY}":1,"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\\n',`,
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
    '',
  ].join('\n')
}

function count(record: Record<string, unknown>, key: string): number {
  const value = record[key]
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`wrk's result line: ${key} is not a count (${JSON.stringify(value)})`)
  return value
}

/** The summary from wrk's stdout, found by the script's result line; throws when there is none. */
export function parseWrkOutput(stdout: string): WrkSummary {
  const line = stdout.split('\n').find((l) => l.startsWith(`{"${RESULT_KEY}":`))
  if (!line) throw new Error(`wrk printed no result line:\n${stdout}`)
  const record = JSON.parse(line) as Record<string, unknown>
  return {
    requests: count(record, 'requests'),
    durationUs: count(record, 'durationUs'),
    errors: {
      connect: count(record, 'connect'),
      read: count(record, 'read'),
      write: count(record, 'write'),
      status: count(record, 'status'),
      timeout: count(record, 'timeout'),
    },
    latencyP50Us: count(record, 'p50Us'),
    latencyP99Us: count(record, 'p99Us'),
  }
}

export interface WrkRun {
  wrk: string
  url: string
  paths: readonly string[]
  connections: number
  /** Whole seconds, as wrk's `-d` takes them. */
  seconds: number
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency -s <script> <url>`, the script in a temporary folder removed afterwards. */
export async function runWrk(run: WrkRun): Promise<WrkSummary> {
  if (!Number.isInteger(run.seconds) || run.seconds < 1) throw new Error(`wrk runs for whole seconds ≥ 1, got ${run.seconds}`)
  const dir = mkdtempSync(join(tmpdir(), 'jiansuo-wrk-'))
  try {
    const script = join(dir, 'paths.lua')
    writeFileSync(script, wrkScript(run.paths))
    const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', '-s', script, run.url]
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(run.wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
      child.once('error', reject)
      child.once('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }))
    })
    if (code !== 0) throw new Error(`wrk ${args.join(' ')} exited with ${code}:\n${stderr || stdout}`)
    try {
      return parseWrkOutput(stdout)
    } catch (err) {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\nwrk's stderr:\n${stderr}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
