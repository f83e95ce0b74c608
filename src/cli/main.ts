import { readFileSync } from 'node:fs'
import { Command, InvalidArgumentError } from 'commander'
import { runIndex } from './index-command.js'
import { runSearch } from './search-command.js'
import { runServe } from './serve-command.js'
import { reportError } from './errors.js'

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

export function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number ≥ 1')
  return Number(value)
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535')
  return Number(value)
}

const program = new Command()
  .name('jiansuo')
  .description('检索 — Chinese full-text search for Jekyll article archives')
  .version(pkg.version)
  .showHelpAfterError()

program
  .command('index')
  .description('build the index of a folder of posts (.md, .markdown, .html)')
  .argument('<posts-folder>', 'folder of Jekyll posts, read recursively')
  .option('--out <dir>', 'where to write the index', 'index-data')
  .option('--workers <n>', 'worker threads for parsing and analysis (default: one per core)', positiveInt)
  .option('--dict <file>', 'user dictionary for jieba: one word per line, optionally `word freq tag`')
  .addHelpText('after', '\nExample:\n  npx jiansuo index ../shared/corpus --out index-data')
  .action(runIndex)

program
  .command('search')
  .description('search the index and print ranked hits with highlighted snippets')
  .argument('<query...>', 'the query, e.g. 红旗区 断头路')
  .option('--index <dir>', 'index folder', 'index-data')
  .option('--size <n>', 'hits per page (1–100)', '10')
  .option('--page <n>', 'page number', '1')
  .option('--category <slug>', 'only this category')
  .option('--tag <tag>', 'only this tag')
  .option('--from <YYYY-MM-DD>', 'only posts on or after this day')
  .option('--to <YYYY-MM-DD>', 'only posts on or before this day')
  .option('--sort <order>', 'relevance or date', 'relevance')
  .option('--json', 'print the JSON body GET /search returns')
  .addHelpText('after', '\nExamples:\n  npx jiansuo search 红旗区 断头路\n  npx jiansuo search "红旗区 断头路" --json --size 5')
  .action(runSearch)

program
  .command('serve')
  .description('serve the search page and the JSON API')
  .option('--index <dir>', 'index folder', 'index-data')
  .option('--posts <dir>', 'posts folder to index first when there is no index yet (default: the bundled demo posts)')
  .option('--rebuild', 'rebuild the index from --posts before serving')
  .option('--port <n>', 'port to listen on', port, 3000)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--log-level <level>', 'request log level: info, warn, silent …', 'info')
  .option('--no-rate-limit', 'turn off per-client rate limiting')
  .addHelpText('after', '\nExample:\n  npx jiansuo serve --index index-data --port 3000')
  .action(runServe)

program.parseAsync().catch((error: unknown) => {
  reportError(error)
  process.exitCode = 1
})
