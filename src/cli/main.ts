import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import { addConfigFlags, INDEX_FLAGS, SEARCH_FLAGS, SERVE_FLAGS } from '../config/flags.js'
import { DEFAULT_INDEX_DIR, effectiveConfig, engineOptionsOf } from '../config/settings.js'
import type { SearchCommandOptions } from './search-command.js'
import type { SuggestCommandOptions } from './suggest-command.js'
import { reportError } from './errors.js'

// Each command imports its own modules when it runs: the server's alone take a third of a second to
// load, which `index` (whose workers wait for the main thread) and `--version` need not pay.

// Output piped into a reader that stops early (`| head`) ends the command quietly, as other tools do,
// rather than with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
}

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

/** An option's values, kept all when it is given more than once (for the search parameters' check to refuse). */
function everyValue(value: string, previous: string | string[] | undefined): string | string[] {
  return previous === undefined ? value : [...[previous].flat(), value]
}

const program = new Command()
  .name('jiansuo')
  .description('检索 — Chinese full-text search for Jekyll article archives')
  .version(pkg.version)
  // A pointer to the help, not the help itself: serve's runs to 58 lines and scrolled the error out of sight.
  .showHelpAfterError('(npx jiansuo --help lists the commands)')
  // -V and -h after a command's name belong to it: in a query they are words (长江 -h excludes h).
  .enablePositionalOptions()

addConfigFlags(
  program
    .command('index')
    .description('build the index of a folder of posts (.md, .markdown, .html)')
    .argument('[posts-folder]', 'folder of Jekyll posts, read recursively (default: "posts" in jiansuo.config.json)'),
  INDEX_FLAGS,
)
  .option('--full', 'process every post again instead of only those added, changed or deleted')
  .option('--watch', 'keep running and update the index whenever posts are added, edited or deleted')
  .addHelpText('after', '\nExamples:\n  npx jiansuo index ../shared/corpus --out index-data\n  npx jiansuo index _posts --watch')
  .action(async (folder: string | undefined, options: { full?: boolean; watch?: boolean }, command: Command) => {
    const { config, file } = effectiveConfig(command, INDEX_FLAGS)
    // As serve does: an index built with settings the user did not type should say where they came from.
    if (file) process.stderr.write(`settings from ${file}\n`)
    const posts = folder ?? config.posts
    if (posts === undefined) throw new Error('which posts? give a folder, or set "posts" in jiansuo.config.json')
    const settings = { out: config.index ?? DEFAULT_INDEX_DIR, workers: config.workers, dict: config.dictionary, synonyms: config.synonyms, full: options.full }
    const { runIndex, runIndexWatch } = await import('./index-command.js')
    await (options.watch ? runIndexWatch(posts, settings) : runIndex(posts, settings))
  })

addConfigFlags(
  program
    .command('search')
    .description('search the index and print ranked hits with highlighted snippets')
    .argument('<query...>', 'the query, e.g. 红旗区 断头路'),
  SEARCH_FLAGS,
)
  // No defaults here: GET /search's check applies them, and refuses an option given twice as it refuses tag=a&tag=b.
  .option('--size <n>', 'hits per page (1–100, default 10)', everyValue)
  .option('--page <n>', 'page number (default 1)', everyValue)
  .option('--category <slug>', 'only this category', everyValue)
  .option('--tag <tag>', 'only this tag', everyValue)
  .option('--from <YYYY-MM-DD>', 'only posts on or after this day', everyValue)
  .option('--to <YYYY-MM-DD>', 'only posts on or before this day', everyValue)
  .option('--sort <order>', 'relevance or date (default relevance)', everyValue)
  .option('--facets <names>', 'count all matches per category, tag or year (comma-separated), as GET /search?facets= does', everyValue)
  .option('--json', 'print the JSON body GET /search returns')
  // A query word may start with a dash (长江 -足球 excludes 足球); only a double dash marks an option.
  .allowUnknownOption()
  .helpOption('--help')
  .addHelpText('after', '\nExamples:\n  npx jiansuo search 红旗区 断头路\n  npx jiansuo search "红旗区 断头路" --json --size 5\n  npx jiansuo search 长江 -足球')
  .action(async (words: string[], options: SearchCommandOptions, command: Command) => {
    // Words after a lone `--` are query words whatever they look like, as `--` means for any command-line tool.
    const unknown = words.slice(0, words.length - wordsAfterOptionsEnd(command)).find((word) => word.startsWith('--'))
    if (unknown !== undefined) command.error(`error: unknown option '${unknown}'`)
    const { config } = effectiveConfig(command, SEARCH_FLAGS)
    const { runSearch } = await import('./search-command.js')
    await runSearch(words, { ...options, index: config.index ?? DEFAULT_INDEX_DIR, maxQueryLength: config.limits?.maxQueryLength, synonymsFile: config.synonyms }, engineOptionsOf(config))
  })

addConfigFlags(
  program
    .command('suggest')
    .description('print the suggestions GET /suggest gives for what has been typed')
    .argument('<typed...>', 'the start of a word or title, e.g. 红旗'),
  SEARCH_FLAGS,
)
  .option('--json', 'print the JSON body GET /suggest returns')
  .addHelpText('after', '\nExamples:\n  npx jiansuo suggest 红旗\n  npx jiansuo suggest rus --json')
  .action(async (words: string[], options: SuggestCommandOptions, command: Command) => {
    const { config } = effectiveConfig(command, SEARCH_FLAGS)
    const { runSuggest } = await import('./suggest-command.js')
    runSuggest(words, { ...options, index: config.index ?? DEFAULT_INDEX_DIR, maxQueryLength: config.limits?.maxQueryLength }, engineOptionsOf(config))
  })

addConfigFlags(
  program
    .command('serve')
    .description('serve the search page and the JSON API; follows index rebuilds without a restart'),
  SERVE_FLAGS,
)
  .option('--rebuild', 'rebuild the index from scratch before serving, from --posts or the folder it was built from')
  .addHelpText(
    'after',
    '\nEvery setting can also be given in jiansuo.config.json (see README "Configuration"); flags win.\n' +
      '\nExamples:\n  npx jiansuo serve --index index-data --port 3000\n  npx jiansuo serve --config /etc/jiansuo/config.json --trust-proxy loopback',
  )
  .action(async (...args: Parameters<typeof import('./serve-command.js').runServe>) => (await import('./serve-command.js')).runServe(...args))

/**
 * How many of a command's operands were typed after `--`, the end of its options (commander keeps them
 * last and drops the `--`). A `--` given as an option's value (`--tag --`) ends nothing.
 */
function wordsAfterOptionsEnd(command: Command): number {
  const args = process.argv.slice(process.argv.indexOf(command.name(), 2) + 1)
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return args.length - i - 1
    if (command.options.some((option) => option.required && option.long === args[i])) i++
  }
  return 0
}

// terminal.ts reads these from argv itself (colorsFor); every command accepts
// them rather than refusing the flags users pass to any other tool.
for (const command of [program, ...program.commands]) {
  if (command !== program) command.showHelpAfterError(`(npx jiansuo ${command.name()} --help lists its options)`)
  command.option('--color', 'colour the output even when it is not a terminal (as FORCE_COLOR=1)').option('--no-color', 'never colour the output (as NO_COLOR=1)')
}

program.parseAsync().catch((error: unknown) => {
  reportError(error)
  process.exitCode = 1
})
