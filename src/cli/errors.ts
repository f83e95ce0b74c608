import pc from 'picocolors'

/** One line a user can act on; the stack only when JIANSUO_DEBUG asks for it. */
export function reportError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${pc.red('error:')} ${message}\n`)
  if (process.env.JIANSUO_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
}
