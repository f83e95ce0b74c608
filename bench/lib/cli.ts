import { Command, InvalidArgumentError } from 'commander'

/**
 * A benchmark's command line, read by commander as `jiansuo`'s own is: `--help` lists the options with
 * their defaults, and a mistyped option, a value out of range or a missing requirement ends the run
 * with one line that names it (exit code 1), never a stack trace. `usage` is how the benchmark is started
 * (`npm run bench --`), which the help's first line shows.
 */
export function benchCommand(usage: string, description: string): Command {
  return new Command(usage).description(description).showHelpAfterError(`(${usage} --help lists the options)`)
}

/** An option's value as a whole number of at least `min`, refused with the range otherwise. */
export function wholeNumber(min: number): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (text.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`Give a whole number ≥ ${min}.`)
    return n
  }
}

/** An option's value as a comma-separated list, each item one of `known`. */
export function listOf(known: readonly string[]): (text: string) => string[] {
  return (text) => {
    const items = text.split(',').map((s) => s.trim()).filter(Boolean)
    const unknown = items.filter((item) => !known.includes(item))
    if (items.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`Give a comma-separated list of ${known.join(', ')}.`)
    return items
  }
}

/** Ends the run as commander ends it for a mistyped option: `error: <message>`, the pointer to --help, exit code 1. */
export function refuse(program: Command, message: string): never {
  return program.error(`error: ${message}`)
}

/** `choose()`'s answer, or the run refused with its error's message (a tool missing from PATH, an index that is not there). */
export function orUsageError<T>(program: Command, choose: () => T): T {
  try {
    return choose()
  } catch (error) {
    return refuse(program, error instanceof Error ? error.message : String(error))
  }
}
