import { describeError, HttpError } from '../server/errors.js'
import { stderrColors } from './terminal.js'

/** One line a user can act on; the stack only when JIANSUO_DEBUG asks for it. */
export function reportError(error: unknown): void {
  const message = error instanceof HttpError ? inCommandLineTerms(error) : error instanceof Error ? error.message : String(error)
  process.stderr.write(`${stderrColors.red('error:')} ${message}\n`)
  if (process.env.JIANSUO_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`)
}

/**
 * A refused search parameter named as the command line spells it: `q must not be blank.` left a user who
 * typed `jiansuo search "  "` wondering what q is. (`--json` prints the API's body, names unchanged.)
 */
function inCommandLineTerms(error: HttpError): string {
  const { param, message } = error
  if (param === undefined || !message.startsWith(`${param} `)) return message
  // A range refused at its start names its end too (`from (…) is after to (…).`).
  const rest = param === 'from' ? message.slice(param.length).replace(' is after to (', ' is after --to (') : message.slice(param.length)
  return (param === 'q' ? 'the query' : `--${param}`) + rest
}

/**
 * For `--json`: a parameter or query the API would refuse (a 400, or a 503 it answers itself) prints the API's JSON error body on stdout
 * (the error line still goes to stderr, and the exit code is 1), so a script reads the same shape either way.
 */
export function printApiError(error: unknown): void {
  const { status, body } = describeError(error)
  // A refusal the API answers with a body of its own (a 400, the 503 of an index without suggestions); not a crash.
  if ((status >= 400 && status < 500) || error instanceof HttpError) process.stdout.write(JSON.stringify(body) + '\n')
}
