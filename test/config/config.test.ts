// jiansuo.config.json: read, validated with errors that name the key, and overridden by flags.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { after, before, describe, test } from 'node:test'
import { Command } from 'commander'
import { addConfigFlags, configFromFlags, INDEX_FLAGS, SERVE_FLAGS } from '../../src/config/flags.js'
import { CONFIG_FILE, loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/schema.js'
import { effectiveConfig, engineOptionsOf, serverOptionsOf } from '../../src/config/settings.js'
import { DEFAULT_RANKING } from '../../src/search/rank.js'
import { resolveServerOptions } from '../../src/server/options.js'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
let dir: string

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'jiansuo-config-'))
  mkdirSync(path.join(dir, 'etc'))
  writeFileSync(path.join(dir, 'etc', 'words.txt'), '红旗渠 10 n\n')
  // 电动车, 电动汽车 in GBK, as an editor on a Chinese Windows saves it.
  writeFileSync(path.join(dir, 'etc', 'gbk.txt'), Buffer.from('b5e7b6afb3b52c20b5e7b6afc6fbb3b50a', 'hex'))
})

after(() => rmSync(dir, { recursive: true, force: true }))

function writeConfig(name: string, content: unknown): string {
  const file = path.join(dir, name)
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return file
}

/** The error loadConfig throws for this file content. */
function problemsOf(content: unknown): string {
  const file = writeConfig('problem.json', content)
  try {
    loadConfig(file, dir)
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err))
    return err.message
  }
  assert.fail('the config was accepted')
}

/** A command with the serve flags, parsed from `argv` as the CLI would. */
function serveCommand(argv: string[]): Command {
  const command = addConfigFlags(new Command('serve').exitOverride(), SERVE_FLAGS).option('--rebuild')
  command.parse(argv, { from: 'user' })
  return command
}

describe('loading jiansuo.config.json', () => {
  test('a full, valid file: paths resolved against its folder', () => {
    const file = writeConfig('etc/full.json', {
      $schema: './schema.json',
      posts: '../_posts',
      index: '/var/lib/jiansuo/index',
      dictionary: 'words.txt',
      synonyms: 'words.txt',
      workers: 2,
      server: { host: '0.0.0.0', port: 8080, logLevel: 'warn', trustProxy: 'loopback', compression: false, reload: true, reloadPollMs: 5000 },
      limits: { maxQueryLength: 100, rateLimit: { windowMs: 10_000, limit: 50 }, maxQueuedSearches: 20, searchTimeoutMs: 2000, requestTimeoutMs: 10_000 },
      ranking: { titleWeight: 4, k1: 1.1 },
    })
    const { config, file: read } = loadConfig(file, dir)
    assert.equal(read, file)
    assert.equal(config.posts, path.join(dir, '_posts'))
    assert.equal(config.index, '/var/lib/jiansuo/index')
    assert.equal(config.dictionary, path.join(dir, 'etc', 'words.txt'))
    assert.equal(config.server?.port, 8080)
    const server = resolveServerOptions(serverOptionsOf(config))
    assert.deepEqual(server.rateLimit, { windowMs: 10_000, limit: 50 })
    assert.equal(server.trustProxy, 'loopback')
    assert.equal(server.maxQueuedSearches, 20)
    assert.equal(server.compression, false)
    const engine = engineOptionsOf(config)
    assert.deepEqual(engine.ranking, { titleWeight: 4, k1: 1.1 })
    assert.equal(engine.userDictionary, '红旗渠 10 n\n')
  })

  test('./jiansuo.config.json is read when present, and its absence is no error', () => {
    const empty = mkdtempSync(path.join(dir, 'cwd-'))
    assert.deepEqual(loadConfig(undefined, empty), { file: null, config: {} })
    writeFileSync(path.join(empty, CONFIG_FILE), '{"server": {"port": 4000}}')
    assert.equal(loadConfig(undefined, empty).config.server?.port, 4000)
  })

  test('a --config file that does not exist is an error', () => {
    assert.throws(() => loadConfig('nope.json', dir), /config file nope\.json does not exist/)
    assert.throws(() => loadConfig('', dir), /^ConfigError: --config names no file \(an empty path\)$/)
    assert.throws(() => loadConfig('.', dir), /config file \. is a folder, not a file/)
  })

  const cases: [string, unknown, RegExp][] = [
    ['invalid JSON, with line and column', '{\n  "server": {\n    "port": 3000,\n  }\n}', /problem\.json is not valid JSON at line 4, column 3/],
    // V8 names no position for an unexpected token, and quotes the text around it, newlines included.
    ['a bare word for a value, on one line with its line and column', '{\n  "server": {\n    "logLevel": warn\n  }\n}', /^problem\.json is not valid JSON at line 3, column 17: Unexpected token 'w'$/],
    ['a comma before ], with line and column', '{\n  "posts": "_posts",\n  "x": [1,]\n}', /^problem\.json is not valid JSON at line 3, column 11: Unexpected token '\]'$/],
    ['a misspelt key, with the known ones', { server: { prot: 3000 } }, /problem\.json: unknown key server\.prot \(known here: host, port, logLevel/],
    ['an unknown top-level key', { indexDir: 'x' }, /unknown key indexDir \(known here: .*index/],
    ['a port out of range', { server: { port: 70_000 } }, /server\.port: Too big: expected number to be <=65535 \(got 70000\)/],
    ['a port as text', { server: { port: '8080' } }, /server\.port: expected number, received string \(got "8080"\)/],
    ['a fractional limit', { limits: { maxQueuedSearches: 2.5 } }, /limits\.maxQueuedSearches: expected int/],
    ['a rate limit of true', { limits: { rateLimit: true } }, /limits\.rateLimit: must be false \(no limit\) or \{"windowMs": …, "limit": …\} \(got true\)/],
    ['a rate limit of zero', { limits: { rateLimit: { limit: 0 } } }, /limits\.rateLimit\.limit: Too small/],
    ['a negative weight', { ranking: { titleWeight: -1 } }, /ranking\.titleWeight: Too small: expected number to be >=0 \(got -1\)/],
    ['an unknown ranking parameter', { ranking: { titleBoost: 2 } }, /unknown key ranking\.titleBoost \(known here: k1, titleWeight/],
    ['a trustProxy Express would refuse', { server: { trustProxy: '10.0.0.0/8, bogus' } }, /server\.trustProxy: must be true, false, a number of proxy hops, or addresses and subnets .* \(got "10\.0\.0\.0\/8, bogus"\)/],
    ['an unknown log level', { server: { logLevel: 'loud' } }, /server\.logLevel: .*"info".* \(got "loud"\)/],
    ['an empty path', { posts: '' }, /posts: must be a non-empty path/],
    ['a dictionary that does not exist', { dictionary: 'missing.txt' }, /problem\.json: dictionary: file .*missing\.txt does not exist or is not a file/],
    ['a synonyms file that is a folder', { synonyms: 'etc' }, /synonyms: file .*etc does not exist or is not a file/],
    ['not an object', '[1, 2]', /\(top level\): expected object/],
    ['an array nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, /problem\.json: \(top level\): expected object, received array \(got \[…\]\)/],
    ['a port nested 100,000 deep', `{"server": {"port": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, /problem\.json: server\.port: expected number, received array \(got \[…\]\)/],
    ['a synonyms file saved as GBK', { synonyms: 'etc/gbk.txt' }, /problem\.json: synonyms: file .*gbk\.txt is not UTF-8 text; save it as UTF-8/],
  ]
  for (const [label, content, message] of cases) {
    test(`${label} → an error naming it`, () => assert.match(problemsOf(content), message))
  }

  test('/dev/null names no dictionary and no synonyms, as the README suggests', { skip: process.platform === 'win32' }, () => {
    const file = writeConfig('empty-resources.json', { dictionary: '/dev/null', synonyms: '/dev/null' })
    const { config } = loadConfig(file, dir)
    assert.equal(config.dictionary, '/dev/null')
    assert.equal(config.synonyms, '/dev/null')
  })

  test('several problems are reported together', () => {
    const message = problemsOf({ server: { port: -1, host: '' }, workers: 0 })
    assert.match(message, /invalid configuration:\n/)
    assert.match(message, /server\.port/)
    assert.match(message, /server\.host/)
    assert.match(message, /workers/)
  })

  test('a dictionary and a synonyms file that are both missing are both reported', () => {
    const message = problemsOf({ dictionary: 'missing-words.txt', synonyms: 'missing-synonyms.txt' })
    assert.match(message, /dictionary: file .*missing-words\.txt does not exist/)
    assert.match(message, /synonyms: file .*missing-synonyms\.txt does not exist/)
  })
})

describe('flags over the file', () => {
  test('given flags win; defaults of unset flags do not count as given', () => {
    const file = writeConfig('over.json', { index: 'from-file', server: { port: 4000, host: '0.0.0.0' }, limits: { rateLimit: { windowMs: 1000, limit: 5 } } })
    const command = serveCommand(['--config', file, '--port', '5000', '--rate-limit', '9'])
    const { config } = effectiveConfig(command, SERVE_FLAGS, dir)
    assert.equal(config.server?.port, 5000, 'the flag')
    assert.equal(config.server?.host, '0.0.0.0', 'the file')
    assert.equal(config.index, path.join(dir, 'from-file'))
    assert.deepEqual(resolveServerOptions(serverOptionsOf(config)).rateLimit, { windowMs: 1000, limit: 9 }, 'merged key by key')
  })

  test('every serve setting has a flag', () => {
    const command = serveCommand([
      '--index', 'i', '--posts', 'p', '--port', '1', '--host', 'h', '--log-level', 'warn', '--trust-proxy', '2',
      '--no-compression', '--no-reload', '--reload-poll', '0', '--max-query-length', '50', '--rate-window', '500',
      '--rate-limit', '7', '--max-queued-searches', '3', '--search-timeout', '99', '--request-timeout', '1000',
      '--dict', path.join(dir, 'etc', 'words.txt'), '--ranking', 'bodyB=0.5,proximity=0',
    ])
    const config = configFromFlags(command, SERVE_FLAGS, dir)
    assert.deepEqual(config, {
      index: path.join(dir, 'i'),
      posts: path.join(dir, 'p'),
      dictionary: path.join(dir, 'etc', 'words.txt'),
      server: { port: 1, host: 'h', logLevel: 'warn', trustProxy: 2, compression: false, reload: false, reloadPollMs: 0 },
      limits: { maxQueryLength: 50, rateLimit: { limit: 7, windowMs: 500 }, maxQueuedSearches: 3, searchTimeoutMs: 99, requestTimeoutMs: 1000 },
      ranking: { bodyB: 0.5, proximity: 0 },
    })
  })

  test('--no-rate-limit turns the file’s limit off; --trust-proxy true is a boolean', () => {
    const file = writeConfig('limited.json', { limits: { rateLimit: { limit: 5 } } })
    const { config } = effectiveConfig(serveCommand(['--config', file, '--no-rate-limit', '--trust-proxy', 'true']), SERVE_FLAGS, dir)
    assert.equal(resolveServerOptions(serverOptionsOf(config)).rateLimit, false)
    assert.equal(config.server?.trustProxy, true)
  })

  test('a bad flag value is an error naming the flag', () => {
    const problem = (argv: string[]) => {
      try {
        configFromFlags(serveCommand(argv), SERVE_FLAGS, dir)
      } catch (err) {
        return (err as Error).message
      }
      return 'accepted'
    }
    assert.match(problem(['--port', 'abc']), /^--port: expected number, received string \(got "abc"\)$/)
    assert.match(problem(['--port', '99999']), /^--port: Too big/)
    assert.match(problem(['--rate-limit', '0']), /^--rate-limit: Too small: expected number to be >=1 \(got 0\)$/)
    assert.match(problem(['--rate-limit', 'many']), /^--rate-limit: expected number, received string \(got "many"\)$/)
    assert.match(problem(['--rate-limit', '5', '--rate-window', 'x']), /^--rate-window: expected number, received string \(got "x"\)$/)
    assert.match(problem(['--rate-window', '0']), /^--rate-window: Too small/)
    assert.equal(problem(['--no-rate-limit', '--rate-window', '5000']), '--rate-window has no effect with --no-rate-limit')
    assert.match(problem(['--ranking', 'titleWeight=x']), /--ranking titleWeight: expected number/)
    assert.equal(problem(['--ranking', 'k1']), '--ranking: expected name=number, such as k1=1.2 (got "k1")', 'a key without a value is refused, not dropped')
    assert.equal(problem(['--ranking', 'titleWeight=4,k1=']), '--ranking: expected name=number, such as k1=1.2 (got "k1=")')
    assert.equal(problem(['--ranking', '=2']), '--ranking: expected name=number, such as titleWeight=4,k1=1.1 (got "=2")')
    assert.match(problem(['--ranking', 'weight=2']), /unknown key --ranking weight/)
    assert.match(problem(['--dict', 'nope.txt']), /^--dict: file .*nope\.txt does not exist/)
    assert.match(problem(['--search-timeout', '-5']), /--search-timeout: Too small/)
  })

  test('a file named in the config is not checked when a flag names another instead', () => {
    const file = writeConfig('stale.json', { dictionary: 'gone.txt', synonyms: 'gone-too.txt' })
    const words = path.join(dir, 'etc', 'words.txt')
    const given = effectiveConfig(serveCommand(['--config', file, '--dict', words, '--synonyms', words]), SERVE_FLAGS, dir).config
    assert.deepEqual([given.dictionary, given.synonyms], [words, words])
    assert.throws(() => effectiveConfig(serveCommand(['--config', file, '--dict', words]), SERVE_FLAGS, dir), /stale\.json: synonyms: file .*gone-too\.txt does not exist/)
    assert.throws(() => effectiveConfig(serveCommand(['--config', file]), SERVE_FLAGS, dir), /stale\.json: dictionary: file .*gone\.txt does not exist/)
  })

  test('index takes its posts, output, workers and dictionary from the file', () => {
    const file = writeConfig('index.json', { posts: 'posts', index: 'out', workers: 3 })
    const command = addConfigFlags(new Command('index').exitOverride().argument('[posts-folder]'), INDEX_FLAGS)
    command.parse(['--config', file, '--workers', '2'], { from: 'user' })
    const { config } = effectiveConfig(command, INDEX_FLAGS, dir)
    assert.deepEqual([config.posts, config.index, config.workers], [path.join(dir, 'posts'), path.join(dir, 'out'), 2])
  })
})

describe('the CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/jiansuo.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 })

  test('serve refuses a bad config file with one clear line per problem and exit 1', () => {
    writeConfig(CONFIG_FILE, { server: { port: 'eighty' }, limits: { rateLimt: 5 } })
    try {
      const run = cli(['serve'])
      assert.equal(run.status, 1)
      assert.match(run.stderr, /jiansuo\.config\.json: server\.port: expected number, received string \(got "eighty"\)/)
      assert.match(run.stderr, /jiansuo\.config\.json: unknown key limits\.rateLimt/)
      assert.doesNotMatch(run.stderr, /\bat .*\.js:\d+/, 'no stack trace')
    } finally {
      rmSync(path.join(dir, CONFIG_FILE))
    }
  })

  test('index says which settings file it read', () => {
    writeConfig(CONFIG_FILE, { posts: path.join(REPO_ROOT, 'demo', 'posts'), index: 'built' })
    try {
      const run = cli(['index'])
      assert.equal(run.status, 0, run.stderr)
      assert.match(run.stderr, new RegExp(`^settings from .*${CONFIG_FILE.replace('.', '\\.')}\n`))
      assert.match(stripVTControlCharacters(run.stdout + run.stderr), /indexed 30 documents/)
    } finally {
      rmSync(path.join(dir, CONFIG_FILE))
      rmSync(path.join(dir, 'built'), { recursive: true, force: true })
    }
  })

  test('a user dictionary jieba would refuse is named with its line, before any post is read', () => {
    const words = path.join(dir, 'etc', 'bad-words.txt')
    writeFileSync(words, '红旗渠 10 n\n断头路 many\n')
    const run = cli(['index', path.join(REPO_ROOT, 'demo', 'posts'), '--out', 'never-built', '--dict', words])
    assert.equal(run.status, 1)
    assert.match(stripVTControlCharacters(run.stderr), new RegExp(`${words.replace(/[.\\]/g, '\\$&')}: user dictionary line 2: the frequency "many" is not a whole number`))
    assert.doesNotMatch(run.stderr, /\bat .*\.js:\d+/, 'no stack trace')
  })

  test('a synonyms line that is no group is named with its line, and the index is not written', () => {
    const synonyms = path.join(dir, 'etc', 'bad-synonyms.txt')
    for (const [text, line, why] of [
      ['电动车, 电动汽车\n电动车/新能源汽车\n', 2, /names one word; a group needs two or more, separated by commas/],
      ['# one way\n电动车 =>\n', 2, /needs words on each side of one =>/],
    ] as const) {
      writeFileSync(synonyms, text)
      const run = cli(['index', path.join(REPO_ROOT, 'demo', 'posts'), '--out', 'never-built', '--synonyms', synonyms])
      assert.equal(run.status, 1)
      const stderr = stripVTControlCharacters(run.stderr)
      assert.match(stderr, new RegExp(`${synonyms.replace(/[.\\]/g, '\\$&')}: synonyms line ${line}: `))
      assert.match(stderr, why)
      assert.ok(!existsSync(path.join(dir, 'never-built')), 'nothing written')
    }
  })

  test('search points out synonyms in the config other than the index\'s, which it searches with', () => {
    const built = path.join(REPO_ROOT, 'demo', 'posts')
    const kept = path.join(dir, 'etc', 'kept-synonyms.txt')
    const edited = path.join(dir, 'etc', 'edited-synonyms.txt')
    writeFileSync(kept, '断头路, 断头道路\n')
    writeFileSync(edited, '断头路, 断头道路\n札记, 随笔\n')
    assert.equal(cli(['index', built, '--out', 'with-synonyms', '--synonyms', kept]).status, 0)
    try {
      for (const [file, noted] of [[kept, false], [edited, true]] as const) {
        writeConfig(CONFIG_FILE, { index: 'with-synonyms', synonyms: file })
        const run = cli(['search', '断头路', '--json'])
        assert.equal(run.status, 0, run.stderr)
        assert.ok(JSON.parse(run.stdout).total > 0, 'stdout is the JSON body alone')
        const note = /edited-synonyms\.txt differs from the synonyms \S*with-synonyms was built with; searching with the index's/
        assert.equal(note.test(stripVTControlCharacters(run.stderr)), noted, run.stderr)
      }
    } finally {
      rmSync(path.join(dir, CONFIG_FILE))
      rmSync(path.join(dir, 'with-synonyms'), { recursive: true, force: true })
    }
  })

  test('serve --help lists the settings, with defaults', () => {
    const run = cli(['serve', '--help'])
    assert.equal(run.status, 0)
    for (const flag of ['--config <file>', '--port <n>', '--trust-proxy', '--max-queued-searches', '--search-timeout', '--rate-limit <n>', '--no-reload', '--ranking']) {
      assert.ok(run.stdout.includes(flag), flag)
    }
    assert.match(run.stdout, /default 3000/)
  })
})

test('every ranking parameter the engine has can be set in the config file', () => {
  const file = writeConfig('every-weight.json', { ranking: DEFAULT_RANKING })
  assert.deepEqual(engineOptionsOf(loadConfig(file, dir).config).ranking, DEFAULT_RANKING)
})

test('trustProxy takes what Express takes: booleans, hop counts, addresses, subnets and the named ranges', () => {
  for (const trustProxy of [true, 2, 'loopback', 'loopback, 10.0.0.0/8, fe80::/10', '192.168.1.1']) {
    const file = writeConfig('proxy.json', { server: { trustProxy } })
    assert.equal(resolveServerOptions(serverOptionsOf(loadConfig(file, dir).config)).trustProxy, trustProxy)
  }
  assert.throws(() => resolveServerOptions({ trustProxy: 'nginx' }), /trustProxy/)
})
