// The search page in real headless Chromium, against a real server over the demo index.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { isBlank } from '../../src/server/search-params.js'
import type { RunningServer } from '../../src/server/serve.js'
import {
  buildTestIndex,
  EXAMPLE_QUERY,
  FIXTURE_PHRASE,
  NO_LINK_POST_ID,
  repoRoot,
  SCRIPT_POST_ID,
  startTestServer,
  type TestIndex,
} from '../server/fixture.js'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = path.join(repoRoot, 'test/artifacts')
const EXAMPLE_FIRST_TITLE = '红旗区今年打通6条断头路'
/** Found in most demo posts, so its results run to several pages. */
const COMMON_WORD = '新乡'

const chromiumMissing = !existsSync(CHROMIUM)
if (chromiumMissing) {
  if (process.env.CI) {
    test('Chromium is installed for the browser tests', () => {
      assert.fail(`${CHROMIUM} is missing; .ci/run installs it with apt-get install -y chromium`)
    })
  } else {
    console.warn(`# SKIPPING browser tests: ${CHROMIUM} not found (apt-get install -y chromium)`)
  }
}

/** What a page did that it should not have: dialogs, script errors, policy violations. */
interface Watch {
  dialogs: string[]
  pageErrors: string[]
  consoleErrors: string[]
  searches: string[]
}

let index: TestIndex
let server: RunningServer
let browser: Browser

describe('the search page', { skip: chromiumMissing ? `${CHROMIUM} not found` : false }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    index = await buildTestIndex()
    server = await startTestServer(index.indexDir, { rateLimit: false })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    index?.remove()
  })

  async function open(width: number, url = '/', touch = false): Promise<{ page: Page; context: BrowserContext; watch: Watch }> {
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 812 : 900 }, locale: 'zh-CN', hasTouch: touch })
    const page = await context.newPage()
    const watch: Watch = { dialogs: [], pageErrors: [], consoleErrors: [], searches: [] }
    page.on('dialog', (dialog) => {
      watch.dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    page.on('pageerror', (err) => watch.pageErrors.push(err.message))
    page.on('console', (message) => {
      if (message.type() === 'error') watch.consoleErrors.push(message.text())
    })
    page.on('request', (request) => {
      const requested = new URL(request.url())
      if (requested.pathname === '/search') watch.searches.push(requested.searchParams.get('q') ?? '')
    })
    await page.goto(server.url + url)
    return { page, context, watch }
  }

  /** Runs `check` on a fresh page at `url`, then requires that the page did nothing untoward. */
  async function inBrowser(width: number, url: string, check: (page: Page, watch: Watch) => Promise<void>, touch = false): Promise<void> {
    const { page, context, watch } = await open(width, url, touch)
    try {
      await check(page, watch)
      assertClean(watch)
    } finally {
      await context.close()
    }
  }

  function assertClean(watch: Watch): void {
    assert.deepEqual(watch.dialogs, [], 'no dialog opened')
    assert.deepEqual(watch.pageErrors, [], 'no script errors')
    assert.deepEqual(watch.consoleErrors, [], 'no console errors (CSP violations show here)')
  }

  const hitTitles = (page: Page) => page.locator('#hits .hit-title').allInnerTexts()

  async function waitForResults(page: Page): Promise<void> {
    await page.locator('#hits .hit').first().waitFor()
    await page.locator('#hits:not([aria-busy="true"])').waitFor()
  }

  test('type the example query, press Enter, read the seed article first with marked terms', async () => {
    await inBrowser(1280, '/', async (page) => {
      await page.screenshot({ path: path.join(ARTIFACTS, 'home-desktop-1280.png') })
      const box = page.getByLabel('搜索文章')
      await box.click()
      await box.pressSequentially(EXAMPLE_QUERY)
      await box.press('Enter')
      await waitForResults(page)
      const titles = await hitTitles(page)
      assert.match(titles[0] ?? '', new RegExp(EXAMPLE_FIRST_TITLE))
      const first = page.locator('#hits .hit').first()
      const marks = await first.locator('.hit-snippet mark').allInnerTexts()
      assert.ok(marks.length > 0, 'the snippet has highlighted terms')
      assert.ok(marks.every((m) => /红旗区|断头路|红旗|断头/.test(m)), marks.join(','))
      assert.match((await first.locator('time').innerText()).trim(), /^2023-03-28$/)
      assert.equal(await first.locator('.hit-title a').getAttribute('href'), 'http://example.org/news/NW202303280830126645')
      assert.match(await page.locator('#status').innerText(), /找到 \d+ 篇相关文章.*用时 [\d.]+ 毫秒/)
      assert.equal(new URL(page.url()).searchParams.get('q'), EXAMPLE_QUERY)
      // The query isolated (FSI … PDI), so a right-to-left override in it cannot reverse the tab's title.
      assert.equal(await page.title(), `\u2068${EXAMPLE_QUERY}\u2069 - 检索`)
      await page.screenshot({ path: path.join(ARTIFACTS, 'results-desktop-1280.png'), fullPage: true })
    })
  })

  test('half-typed pinyin in an input method never fires a search; the composed words do', async () => {
    await inBrowser(1280, '/', async (page, watch) => {
      const box = page.getByLabel('搜索文章')
      await box.click()
      // Drive Chromium's own IME path: composition events exactly as an input method makes them.
      const cdp = await page.context().newCDPSession(page)
      for (const pinyin of ['h', 'ho', 'hong', 'hongq', 'hongqi']) {
        await cdp.send('Input.imeSetComposition', { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length })
        await page.waitForTimeout(120)
      }
      await page.waitForTimeout(700) // well past the typing pause
      assert.deepEqual(watch.searches, [], 'nothing searched while composing')
      await cdp.send('Input.insertText', { text: '红旗' })
      await waitForResults(page)
      assert.equal(await box.inputValue(), '红旗')
      assert.ok(watch.searches.length >= 1)
      assert.ok(watch.searches.every((q) => !/[a-z]/.test(q)), `no pinyin searched: ${watch.searches.join(' | ')}`)
      assert.equal(new URL(page.url()).searchParams.get('q'), '红旗')
    })
  })

  test('a composition the browser drops without compositionend (the box cleared under it) does not leave the box deaf', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page, watch) => {
      await waitForResults(page)
      const box = page.getByLabel('搜索文章')
      await box.click()
      await box.press('End')
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Input.imeSetComposition', { text: 'hong', selectionStart: 4, selectionEnd: 4 })
      // The search field's ✕ empties it; Chromium ends the composition without a compositionend event.
      const { x, y, width, height } = (await box.boundingBox())!
      await page.mouse.click(x + width - 20, y + height / 2)
      assert.equal(await box.inputValue(), '')
      await page.keyboard.type('断头路', { delay: 40 })
      await page.waitForURL((url) => url.searchParams.get('q') === '断头路', { timeout: 5000 })
      await waitForResults(page)
      await box.fill('红旗区')
      await box.press('Enter')
      await page.waitForURL((url) => url.searchParams.get('q') === '红旗区')
      assert.ok(watch.searches.every((q) => !/[a-z]/.test(q)), watch.searches.join(' | '))
    })
  })

  test('typing searches after a pause, once, without pressing Enter', async () => {
    await inBrowser(1280, '/', async (page, watch) => {
      await page.getByLabel('搜索文章').pressSequentially('断头路', { delay: 40 })
      await waitForResults(page)
      await page.waitForTimeout(500)
      assert.deepEqual(watch.searches, ['断头路'], 'one search for the whole word, none per keystroke')
    })
  })

  test('page forward, then back with the browser', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      const firstPage = await hitTitles(page)
      assert.equal(firstPage.length, 10)
      await page.locator('#pager').getByRole('link', { name: '下一页' }).click()
      await page.waitForURL(/page=2/)
      await waitForResults(page)
      const secondPage = await hitTitles(page)
      assert.ok(secondPage.length >= 1)
      assert.ok(!secondPage.some((title) => firstPage.includes(title)), 'page 2 shows other posts')
      assert.equal(await page.locator('#hits').getAttribute('start'), '11')
      assert.match(await page.locator('#status').innerText(), /第 2 \/ \d+ 页/)
      assert.equal(await page.locator('#pager [aria-current="page"]').innerText(), '2')

      await page.goBack()
      await page.waitForURL((url) => !url.searchParams.has('page'))
      await page.locator('#hits .hit-title').first().filter({ hasText: firstPage[0]! }).waitFor()
      assert.deepEqual(await hitTitles(page), firstPage)
      assert.equal(await page.getByLabel('搜索文章').inputValue(), COMMON_WORD)
    })
  })

  test('a letter typed and deleted again, or a composition given up, leaves a later page where it is', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}&page=2`, async (page, watch) => {
      await waitForResults(page)
      const secondPage = await hitTitles(page)
      const box = page.getByLabel('搜索文章')
      await box.focus()
      await page.keyboard.press('End')
      await page.keyboard.type('a')
      await page.keyboard.press('Backspace')
      await page.waitForTimeout(700) // well past the typing pause
      assert.match(page.url(), /page=2/)
      assert.deepEqual(await hitTitles(page), secondPage)
      assert.deepEqual(watch.searches, [COMMON_WORD], 'the query did not change: no search')
    })
  })

  test('category and date filters narrow the results and live in the URL', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      const before = await page.locator('#status').innerText()
      await page.getByLabel('分类', { exact: true }).fill('xinxiangribao')
      await page.getByLabel('分类', { exact: true }).press('Enter')
      await page.waitForURL(/category=xinxiangribao/)
      await page.locator('#status').filter({ hasNotText: before }).waitFor()
      await waitForResults(page)
      const categories = await page.locator('#hits .hit').evaluateAll((hits) =>
        hits.map((hit) => [...hit.querySelectorAll('.chip-category')].map((chip) => chip.textContent)),
      )
      assert.ok(categories.length >= 1)
      assert.ok(categories.every((list) => list.includes('xinxiangribao')), JSON.stringify(categories))

      await page.getByLabel('起始日期').fill('2023-01-01')
      await page.getByLabel('截止日期').fill('2023-12-31')
      await page.waitForURL(/from=2023-01-01.*to=2023-12-31|to=2023-12-31.*from=2023-01-01/)
      await waitForResults(page)
      const days = await page.locator('#hits time').allInnerTexts()
      assert.ok(days.length >= 1)
      assert.ok(days.every((day) => day.startsWith('2023-')), days.join(','))
      await page.screenshot({ path: path.join(ARTIFACTS, 'filtered-desktop-1280.png'), fullPage: true })
    })
  })

  test('a date typed digit by digit is searched once it is a real date, adding one history entry', async () => {
    // en-US: month, day, then the year, each digit of which completes a date (0002-03-01, 0020-03-01 …).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    try {
      const page = await context.newPage()
      const froms: string[] = []
      page.on('request', (request) => {
        const requested = new URL(request.url())
        if (requested.pathname === '/search' && requested.searchParams.has('from')) froms.push(requested.searchParams.get('from')!)
      })
      await page.goto(`${server.url}/?q=${encodeURIComponent(COMMON_WORD)}`)
      await waitForResults(page)
      const entries = await page.evaluate<number>("history.length")
      await page.getByLabel('起始日期').focus()
      await page.keyboard.type('03012023', { delay: 40 })
      await page.waitForURL(/from=2023-03-01/)
      await waitForResults(page)
      await page.waitForTimeout(300)
      assert.deepEqual(froms, ['2023-03-01'], 'no search for the years on the way')
      assert.equal(await page.evaluate("history.length"), entries + 1)
      // Typing in the search box next starts an entry of its own: Back returns to the date just typed.
      await page.getByLabel('搜索文章').focus()
      await page.keyboard.type(' 红旗区', { delay: 40 })
      await page.waitForURL(/%E7%BA%A2%E6%97%97%E5%8C%BA/)
      await waitForResults(page)
      await page.goBack()
      await page.waitForURL((url) => url.searchParams.get('from') === '2023-03-01' && url.searchParams.get('q') === COMMON_WORD)
      assert.equal(await page.getByLabel('起始日期').inputValue(), '2023-03-01')
    } finally {
      await context.close()
    }
  })

  test('pressing a category chip filters by it', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      const chip = page.locator('#hits .chip-category', { hasText: 'keji' }).first()
      await chip.click()
      await page.waitForURL(/category=keji/)
      await waitForResults(page)
      assert.equal(await page.getByLabel('分类', { exact: true }).inputValue(), 'keji')
      const categories = await page.locator('#hits .chip-category').allInnerTexts()
      assert.ok(categories.length >= 1 && categories.every((c) => c === 'keji'), categories.join(','))
    })
  })

  test('facets: counts per category, tag and year over all matches; pressing one filters, pressing again undoes it', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}&size=2`, async (page) => {
      await waitForResults(page)
      const total = Number((await page.locator('#status').innerText()).match(/找到 ([\d,]+) 篇/)![1]!.replaceAll(',', ''))
      assert.ok(total > 2, 'more matches than the page shows')
      const facet = (name: string) => page.locator(`#facets .facet-${name} .facet-value`)
      const counts = async (name: string) =>
        Object.fromEntries(
          await facet(name).evaluateAll((buttons) => buttons.map((b) => [b.getAttribute("data-value")!, Number(b.querySelector('.facet-count')!.textContent!.replace(/\D/g, ''))])),
        ) as Record<string, number>
      const years = await counts('year')
      assert.equal(Object.values(years).reduce((a, b) => a + b, 0), total, 'the years add up to every match, not the page of 2')
      const categories = await counts('category')
      assert.ok(Object.keys(categories).length >= 2, JSON.stringify(categories))
      assert.ok((await facet('tag').count()) >= 1)

      // A year narrows the results to exactly its count, through the date fields.
      const year = Object.keys(years)[0]!
      await facet('year').filter({ hasText: year }).first().click()
      await page.waitForURL(new RegExp(`from=${year}-01-01`))
      await waitForResults(page)
      assert.equal(await page.getByLabel('起始日期').inputValue(), `${year}-01-01`)
      assert.equal(await page.getByLabel('截止日期').inputValue(), `${year}-12-31`)
      assert.match(await page.locator('#status').innerText(), new RegExp(`找到 ${years[year]!.toLocaleString('zh-CN')} 篇`))
      assert.equal(await facet('year').filter({ hasText: year }).first().getAttribute('aria-pressed'), 'true')

      // A category narrows it further; pressing it again takes it away.
      const category = Object.keys(await counts('category'))[0]!
      const inYear = (await counts('category'))[category]!
      await facet('category').filter({ hasText: category }).first().click()
      await page.waitForURL(/category=/)
      await waitForResults(page)
      assert.match(await page.locator('#status').innerText(), new RegExp(`找到 ${inYear.toLocaleString('zh-CN')} 篇`))
      await page.screenshot({ path: path.join(ARTIFACTS, 'facets-desktop-1280.png'), fullPage: true })
      await facet('category').filter({ hasText: category }).first().click()
      await page.waitForURL((url) => !url.searchParams.has('category'))
      await waitForResults(page)
      assert.equal(await page.getByLabel('分类', { exact: true }).inputValue(), '')
    })
  })

  test('a shared URL shows the same results in a new browser and after reload', async () => {
    const shared = `/?q=${encodeURIComponent(COMMON_WORD)}&sort=date&page=2`
    const first = await open(1280, shared)
    const second = await open(375, shared)
    try {
      await waitForResults(first.page)
      await waitForResults(second.page)
      const titles = await hitTitles(first.page)
      assert.ok(titles.length >= 1)
      assert.deepEqual(await hitTitles(second.page), titles)
      assert.equal(await second.page.getByLabel('搜索文章').inputValue(), COMMON_WORD)
      assert.equal(await second.page.getByLabel('排序').inputValue(), 'date')
      await second.page.reload()
      await waitForResults(second.page)
      assert.deepEqual(await hitTitles(second.page), titles)
      assert.equal(await second.page.locator('#pager [aria-current="page"]').innerText(), '2')
      assertClean(first.watch)
      assertClean(second.watch)
    } finally {
      await first.context.close()
      await second.context.close()
    }
  })

  test('a post whose text contains <script> shows it as text and runs nothing', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(FIXTURE_PHRASE)}`, async (page) => {
      await waitForResults(page)
      const titles = await hitTitles(page)
      assert.ok(titles.some((title) => title.includes('<script>window.__pwned_title=1</script>')), titles.join(' | '))
      const snippets = (await page.locator('#hits .hit-snippet').allInnerTexts()).join(' ')
      assert.match(snippets, /橙色鲸鱼/)
      await page.getByText('<script>window.__pwned_title=1</script>', { exact: false }).first().waitFor({ state: 'visible' })
      assert.equal(await page.locator('#hits script, #hits img, #hits iframe').count(), 0)
      const pwned = await page.evaluate('[typeof __pwned_title, typeof __pwned_body, typeof __pwned_img]')
      assert.deepEqual(pwned, ['undefined', 'undefined', 'undefined'])

      // The demo's own article about cross-site scripting, whose text carries <script>alert(1)</script>.
      await page.goto(`${server.url}/?q=${encodeURIComponent('script alert')}`)
      await waitForResults(page)
      const shown = (await page.locator('#hits .hit-snippet').allInnerTexts()).join('\n')
      assert.match(shown, /<script>alert\(1\)<\/script>/)
      assert.match(shown, /<img src=x onerror="window.__pwned_img=1">/)
      assert.equal(await page.locator('#hits script').count(), 0)
      await page.waitForTimeout(200)
    })
  })

  test('a post with twenty tags shows eight and counts the rest; a post\'s text and the query keep their direction to themselves', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent('紫色海马')}`, async (page) => {
      await waitForResults(page)
      const hit = page.locator('#hits .hit').first()
      assert.equal(await hit.locator('.chip-tag').count(), 8)
      assert.equal(await hit.locator('.hit-more-tags').innerText(), '另有 12 个标签')
      const bidi = await page.evaluate("getComputedStyle(document.querySelector('#hits .hit .chip-tag')).unicodeBidi")
      assert.equal(bidi, 'isolate')
      // A right-to-left override in a query that finds nothing must not reverse the sentence around it.
      await page.goto(`${server.url}/?q=${encodeURIComponent('"鲲鹏\u202e不存在"')}`)
      await page.locator('#empty').waitFor({ state: 'visible' })
      const status = await page.locator('#status').innerText()
      assert.ok(status.includes('\u2068"鲲鹏\u202e不存在"\u2069'), JSON.stringify(status))
    })
  })

  test('no results suggests what to try; a bad parameter is explained politely', async () => {
    await inBrowser(375, `/?q=${encodeURIComponent('"鲲鹏翱翔不存在之词"')}&category=xinxiangribao`, async (page, watch) => {
      await page.locator('#empty').waitFor({ state: 'visible' })
      const empty = await page.locator('#empty').innerText()
      assert.match(empty, /没有找到/)
      assert.match(empty, /减少关键词/)
      assert.match(empty, /错别字/)
      assert.match(empty, /筛选/)
      assert.match(await page.locator('#status').innerText(), /没有找到/)
      await page.screenshot({ path: path.join(ARTIFACTS, 'no-results-phone-375.png'), fullPage: true })

      await page.goto(`${server.url}/?q=${encodeURIComponent(EXAMPLE_QUERY)}&from=2023-02-30`)
      const alert = page.getByRole('alert')
      await alert.waitFor({ state: 'visible' })
      assert.match(await alert.innerText(), /「起始日期」有误：请填写有效的日期/)
      // Told in the page's language, not in the API's English reason.
      await page.goto(`${server.url}/?q=${encodeURIComponent('长'.repeat(201))}`)
      await alert.waitFor({ state: 'visible' })
      assert.match(await alert.innerText(), /「关键词」有误：最多 200 个字，请缩短关键词。/)
      assert.doesNotMatch(await alert.innerText(), /[a-z]{4,}/, 'no English')
      // Which part of the query to change, not only that it is wrong.
      await page.goto(`${server.url}/?q=${encodeURIComponent('"的，中国" "的，美国" "的，日本" "的，英国" "的，法国"')}`)
      await alert.waitFor({ state: 'visible' })
      assert.match(await alert.innerText(), /「关键词」有误：引号里单个字挨着标点或空格的短语（如“的，中国”）最多 4 个，请减少这样的短语。/)
      // The browser logs the 400 response itself; that one is expected.
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/status of 400/.test(e))
    })
  })

  test('while a slow search runs, the status line says so outside anything marked busy, so a screen reader reads it', async () => {
    await inBrowser(1280, '/', async (page) => {
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      await page.route('**/search?*', async (route) => {
        await held
        await route.continue()
      })
      await page.getByLabel('搜索文章').fill(COMMON_WORD)
      await page.keyboard.press('Enter')
      const status = page.locator('#status')
      await page.locator('#status', { hasText: '正在搜索…' }).waitFor()
      assert.equal(await page.locator('[aria-busy="true"]').count(), 1, 'something is marked busy meanwhile')
      assert.equal(await status.evaluate((el) => el.closest('[aria-busy="true"]') === null), true, 'the status line is not inside it')
      release()
      await waitForResults(page)
      assert.match(await status.innerText(), /找到/)
      await page.unroute('**/search?*')
    })
  })

  test('a refusal for too many searches says how long to wait, and its retry button searches again', async () => {
    await inBrowser(1280, '/', async (page, watch) => {
      await page.route('**/search?*', (route) =>
        route.fulfill({ status: 429, headers: { 'Retry-After': '30' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many searches' } }) }),
      )
      await page.getByLabel('搜索文章').fill(COMMON_WORD)
      await page.keyboard.press('Enter')
      const alert = page.getByRole('alert')
      await alert.waitFor({ state: 'visible' })
      assert.match(await alert.innerText(), /搜索太频繁了，请30 秒后再试/)
      await page.unroute('**/search?*')
      await alert.getByRole('button', { name: '重试' }).click()
      await waitForResults(page)
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/status of 429/.test(e))
    })
  })

  test('Enter on a touch screen moves the focus to the results, closing the on-screen keyboard; with a mouse the box keeps it', async () => {
    const focusedId = (page: Page) => page.evaluate<string>("document.activeElement?.id ?? ''")
    for (const touch of [false, true]) {
      await inBrowser(
        375,
        '/',
        async (page) => {
          await page.getByLabel('搜索文章').fill(EXAMPLE_QUERY)
          await page.keyboard.press('Enter')
          await waitForResults(page)
          assert.equal(await focusedId(page), touch ? 'results' : 'q', touch ? 'touch' : 'mouse')
        },
        touch,
      )
    }
  })

  test('a failure on the server\'s side (a 500, a proxy\'s 502) offers to search again too', async () => {
    await inBrowser(1280, '/', async (page, watch) => {
      for (const status of [500, 502]) {
        await page.route('**/search?*', (route) => route.fulfill({ status, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }))
        await page.getByLabel('搜索文章').fill(status === 500 ? COMMON_WORD : EXAMPLE_QUERY)
        await page.keyboard.press('Enter')
        const alert = page.getByRole('alert')
        await alert.waitFor({ state: 'visible' })
        assert.match(await alert.innerText(), /服务器暂时出了问题，请稍后再试/)
        await page.unroute('**/search?*')
        await alert.getByRole('button', { name: '重试' }).click()
        await waitForResults(page)
      }
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/status of 50[02]/.test(e))
    })
  })

  test('with the server gone, a page link or 重试 pressed from the keyboard leaves the focus on the results, one Tab from 重试', async () => {
    const focused = (page: Page) => page.evaluate<string>("(() => { const a = document.activeElement; return a ? a.id || a.textContent || a.tagName : '' })()")
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page, watch) => {
      await waitForResults(page)
      await page.route('**/search?*', (route) => route.abort('connectionrefused'))
      await page.locator('#pager .pager-next').focus()
      await page.keyboard.press('Enter')
      const alert = page.getByRole('alert')
      await alert.waitFor({ state: 'visible' })
      assert.equal(await focused(page), 'results', 'not dropped to the top of the page with the link')
      await page.keyboard.press('Tab')
      assert.equal(await focused(page), '重试')
      const pressed = (await page.locator('#error button').elementHandle())!
      await page.keyboard.press('Enter')
      // Drawn again: the button pressed is gone, another in its place.
      await pressed.waitForElementState('hidden')
      await page.locator('#error button').waitFor()
      assert.equal(await focused(page), 'results', 'nor with 重试, failing again')
      await page.unroute('**/search?*')
      await page.keyboard.press('Tab')
      await page.keyboard.press('Enter')
      await waitForResults(page)
      assert.equal(await focused(page), 'results', 'nor with 重试, answered')
      assert.equal(new URL(page.url()).searchParams.get('page'), '2')
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))
    })
  })

  test('a facet pressed whose search fails or is overtaken by typing does not later take the focus from the search box', async () => {
    const focusedId = (page: Page) => page.evaluate<string>("document.activeElement?.id ?? ''")
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page, watch) => {
      await waitForResults(page)
      const box = page.getByLabel('搜索文章')
      // Failed: the error is drawn, and the facet's wish for the focus goes with it.
      await page.route('**/search?*', (route) => route.abort('connectionrefused'))
      await page.locator('#facets .facet-year .facet-value').first().click()
      await page.getByRole('alert').waitFor({ state: 'visible' })
      await page.unroute('**/search?*')
      await box.fill('')
      await box.pressSequentially(EXAMPLE_QUERY)
      await page.locator('#status', { hasText: /找到|没有找到/ }).waitFor()
      await page.locator('#hits:not([aria-busy="true"])').waitFor({ state: 'attached' })
      assert.equal(await focusedId(page), 'q', 'after a failed facet')
      // Overtaken: the facet's search is still out when typing starts another, which replaces it.
      await page.goto(`${server.url}/?q=${encodeURIComponent(COMMON_WORD)}`)
      await waitForResults(page)
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let requests = 0
      await page.route('**/search?*', async (route) => {
        if (++requests === 1) await held
        await route.continue().catch(() => {})
      })
      await page.locator('#facets .facet-category .facet-value').first().click()
      await page.locator('#hits[aria-busy="true"]').waitFor({ state: 'attached' })
      await box.fill('')
      await box.pressSequentially(EXAMPLE_QUERY)
      await page.locator('#status', { hasText: /找到|没有找到/ }).waitFor()
      await page.locator('#hits:not([aria-busy="true"])').waitFor({ state: 'attached' })
      assert.equal(new URL(page.url()).searchParams.get('q'), EXAMPLE_QUERY)
      assert.equal(await focusedId(page), 'q', 'after a facet overtaken by typing')
      release()
      await page.unroute('**/search?*')
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED/.test(e))
    })
  })

  test('back from a post read far down the results, or reloaded there, the page opens where the reader was', async () => {
    const scrollY = (page: Page) => page.evaluate<number>('window.scrollY')
    for (const width of [375, 1280]) {
      await inBrowser(width, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
        await waitForResults(page)
        const hit = page.locator('#hits .hit').nth(7)
        await hit.scrollIntoViewIfNeeded()
        const there = await scrollY(page)
        assert.ok(there > 300, `scrolled down (${there})`)
        // Playwright's Chromium keeps no page whole for the way back (no back/forward cache): it loads afresh.
        await hit.locator('a[href^="/read.html"]').first().click()
        await page.waitForURL(/read\.html/)
        await page.goBack()
        await waitForResults(page)
        await page.locator('#hits .hit').nth(7).waitFor()
        assert.ok(Math.abs((await scrollY(page)) - there) <= 2, `back at ${await scrollY(page)}, not ${there} (${width} px)`)
        await page.reload()
        await waitForResults(page)
        assert.ok(Math.abs((await scrollY(page)) - there) <= 2, `reloaded at ${await scrollY(page)}, not ${there} (${width} px)`)
      })
    }
  })

  test('reloaded where the reader scrolled to, without leaving the page first, it opens there', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      await page.locator('#hits .hit').nth(7).scrollIntoViewIfNeeded()
      const there = await page.evaluate<number>('window.scrollY')
      assert.ok(there > 300, `scrolled down (${there})`)
      await page.waitForTimeout(500) // past the scrolling pause
      await page.reload()
      await waitForResults(page)
      await page.locator('#hits .hit').nth(7).waitFor()
      const at = await page.evaluate<number>('window.scrollY')
      assert.ok(Math.abs(at - there) <= 2, `reloaded at ${at}, not ${there}`)
    })
  })

  test('a page past the last says so, and 上一页 leads to the last page', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}&page=500`, async (page) => {
      await page.locator('#notice').waitFor({ state: 'visible' })
      const status = await page.locator('#status').innerText()
      assert.doesNotMatch(status, /第 500 \//, status)
      // The notice is heard with the count.
      assert.match(status, /第 500 页没有结果/, status)
      const pages = Number(/结果一共只有 (\d+) 页/.exec(await page.locator('#notice').innerText())![1])
      assert.ok(pages > 1 && pages < 500)
      await page.locator('#pager .pager-prev').click()
      await page.waitForURL(new RegExp(`page=${pages}(&|$)`))
      await waitForResults(page)
      assert.ok((await page.locator('#hits .hit').count()) > 0)
    })
  })

  test('a query of invisible characters only is blank: the introduction, not an error', async () => {
    // Every character the server drops from a query (spaces, zero-width and direction marks, variation
    // selectors, control characters): the page must not send what the server refuses as blank.
    const blank = [...Array(0x10000).keys()]
      .filter((code) => code < 0xd800 || code > 0xdfff)
      .map((code) => String.fromCharCode(code))
      .filter((char) => isBlank(char))
    assert.ok(blank.includes('\u200e') && blank.includes('\ufe0f') && blank.includes('\u3000'), 'the server drops them')
    // Ideographic variation selectors lie outside the BMP: a pair each.
    assert.ok(isBlank('\u{E0100}\u{E01EF}'), 'the server drops ideographic variation selectors')
    await inBrowser(1280, '/', async (page, watch) => {
      const suggests: string[] = []
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/suggest') suggests.push(request.url())
      })
      for (const typed of ['\u200b\u200b', '\u200e', '\u{E0100}\u{E01EF}', blank.join('')]) {
        await page.getByLabel('搜索文章').fill(typed)
        await page.waitForTimeout(500) // past the typing pauses for suggestions and search
        await page.keyboard.press('Enter')
        await page.waitForTimeout(200)
        assert.equal(await page.locator('#intro').isVisible(), true, JSON.stringify(typed))
        assert.equal(await page.getByRole('alert').isVisible(), false, JSON.stringify(typed))
      }
      assert.deepEqual(watch.searches, [])
      assert.deepEqual(suggests, [])
    })
  })

  test('on a phone a facet count stays on one line beside a long value', async () => {
    const { page, context, watch } = await open(390)
    try {
      const long = '长'.repeat(36)
      await page.route('**/search?*', async (route) => {
        const response = await route.fetch()
        const body = (await response.json()) as { facets?: Record<string, { value: string; count: number }[]> }
        if (body.facets) body.facets.category = [{ value: long, count: 12345 }, { value: `${'Latin'.repeat(12)}`, count: 100 }, { value: 'keji', count: 7 }]
        await route.fulfill({ response, json: body })
      })
      await page.goto(`${server.url}/?q=${encodeURIComponent(COMMON_WORD)}`)
      await waitForResults(page)
      const counts = page.locator('#facets .facet-category .facet-count')
      await counts.first().waitFor()
      const heights = await counts.evaluateAll((spans) => spans.map((span) => span.getBoundingClientRect().height))
      assert.equal(heights.length, 3)
      assert.ok(heights[2]! > 0, 'the facets are shown')
      assert.ok(heights.every((h) => Math.abs(h - heights[2]!) < 1), `one line each: ${heights.join(', ')}`)
      assertClean(watch)
    } finally {
      await context.close()
    }
  })

  test('a category chip pressed again takes its filter off', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}&category=keji`, async (page) => {
      await waitForResults(page)
      const chip = page.locator('#hits .chip-category', { hasText: 'keji' }).first()
      assert.equal(await chip.getAttribute('aria-pressed'), 'true')
      await chip.click()
      await page.waitForURL((url) => !url.searchParams.has('category'))
      await waitForResults(page)
      assert.equal(await page.getByLabel('分类', { exact: true }).inputValue(), '')
    })
  })

  test('"more" under a facet hands the focus to the first value it revealed', async () => {
    // 的 is in nearly every post, whose tags are more than eight.
    await inBrowser(1280, `/?q=${encodeURIComponent('的')}`, async (page) => {
      await waitForResults(page)
      const more = page.locator('#facets .facet-more').first()
      assert.equal(await more.count(), 1, 'a facet with more than eight values')
      assert.ok((await more.boundingBox())!.height >= 24, 'a target at least 24 px tall')
      await more.focus()
      await page.keyboard.press('Enter')
      const focused = await page.evaluate(`(() => { const a = document.activeElement; return a ? { cls: a.className, hidden: a.closest('li')?.hidden ?? null } : null })()`)
      assert.deepEqual(focused, { cls: 'facet-value', hidden: false })
    })
  })

  test('without JavaScript the page says it needs it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
    try {
      const page = await context.newPage()
      await page.goto(`${server.url}/?q=${encodeURIComponent(EXAMPLE_QUERY)}`)
      assert.match(await page.locator('.noscript').innerText(), /需要 JavaScript/)
    } finally {
      await context.close()
    }
  })

  test('a page size in the URL that the API refuses is read as the default, so the page still works', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}&size=1000`, async (page) => {
      await waitForResults(page)
      assert.equal(await page.locator('#hits .hit').count(), 10)
      await page.locator('#hits .chip-category').first().click()
      await page.waitForURL(/category=/)
      assert.ok(!new URL(page.url()).searchParams.has('size'), page.url())
    })
  })

  test('the facet or chip just pressed keeps the keyboard focus once the results are drawn again', async () => {
    await inBrowser(1280, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      const first = page.locator('#facets .facet-category .facet-value').first()
      const value = (await first.getAttribute('data-value'))!
      await first.focus()
      await page.keyboard.press('Enter')
      await page.waitForURL(/category=/)
      await waitForResults(page)
      const focused = await page.evaluate(
        `(() => { const a = document.activeElement; return a ? { facet: a.dataset.facet, value: a.dataset.value, pressed: a.getAttribute('aria-pressed') } : null })()`,
      )
      assert.deepEqual(focused, { facet: 'category', value, pressed: 'true' })
    })
  })

  test('a query of one long unbroken run wraps on a phone instead of widening the page', async () => {
    await inBrowser(375, `/?q=${'a'.repeat(200)}`, async (page) => {
      await page.locator('#empty').waitFor({ state: 'visible' })
      const { scroll, width } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })')) as { scroll: number; width: number }
      assert.ok(scroll <= width, `scrollWidth ${scroll} at ${width}`)
    })
  })

  test('on a phone the results fit the screen and the keyboard reaches every control', async () => {
    await inBrowser(375, `/?q=${encodeURIComponent(COMMON_WORD)}`, async (page) => {
      await waitForResults(page)
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`)
      await page.screenshot({ path: path.join(ARTIFACTS, 'results-phone-375.png'), fullPage: true })
      await page.screenshot({ path: path.join(ARTIFACTS, 'results-phone-375-top.png') })

      // Tab order: the skip link, the home link, the search box and its button, the filters' toggle.
      await page.locator('body').focus()
      await page.keyboard.press('Tab')
      assert.equal(await page.evaluate('document.activeElement.textContent'), '跳到搜索结果')
      const tabThrough = async (count: number): Promise<string[]> => {
        const reached: string[] = []
        for (let i = 0; i < count; i++) {
          await page.keyboard.press('Tab')
          reached.push(await page.evaluate<string>('document.activeElement.id || document.activeElement.tagName'))
        }
        return reached
      }
      const folded = await tabThrough(6)
      assert.deepEqual(folded.slice(0, 4), ['home-link', 'q', 'BUTTON', 'filter-summary'])
      assert.ok(!folded.includes('category'), 'filters are folded away on a phone')
      // Open the panel from the keyboard; its fields join the tab order.
      await page.locator('#filter-summary').focus()
      await page.keyboard.press('Enter')
      await page.screenshot({ path: path.join(ARTIFACTS, 'filters-open-phone-375.png') })
      const unfolded = await tabThrough(20)
      for (const id of ['category', 'tag', 'sort', 'from', 'to', 'clear-filters']) {
        assert.ok(unfolded.includes(id), `${id} in ${unfolded.join(',')}`)
      }
      assert.equal(await page.locator('#status').getAttribute('aria-live'), 'polite')
    })
  })

  test('every control the keyboard reaches on a page of results shows its whole focus ring, clipped by nothing around it', async () => {
    // The ring drawn around the focused element (outline and its offset), per line box, against every
    // ancestor that clips its overflow: a result title clamped to three lines once cut its link's ring.
    const clippedRing = `(() => {
      const el = document.activeElement
      const style = getComputedStyle(el)
      const grow = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset)
      const clippers = []
      for (const line of el.getClientRects()) {
        for (let a = el.parentElement; a !== null; a = a.parentElement) {
          const clip = getComputedStyle(a)
          if (clip.overflowX === 'visible' && clip.overflowY === 'visible') continue
          const box = a.getBoundingClientRect()
          const left = box.left + a.clientLeft, top = box.top + a.clientTop
          if (line.left - grow < left - 0.5 || line.top - grow < top - 0.5 ||
              line.right + grow > left + a.clientWidth + 0.5 || line.bottom + grow > top + a.clientHeight + 0.5) clippers.push(a.className || a.tagName)
        }
      }
      return { focused: el.className || el.id || el.tagName, clippers }
    })()`
    for (const width of [1280, 375]) {
      await inBrowser(width, `/?q=${encodeURIComponent(EXAMPLE_QUERY)}`, async (page) => {
        await waitForResults(page)
        await page.locator('body').focus()
        const clipped: string[] = []
        let titleLinks = 0
        for (let i = 0; i < 100; i++) {
          await page.keyboard.press('Tab')
          if (await page.evaluate('document.activeElement === document.body')) break
          const { focused, clippers } = (await page.evaluate(clippedRing)) as { focused: string; clippers: string[] }
          if (await page.evaluate("document.activeElement.matches('.hit-title a')")) titleLinks++
          if (clippers.length > 0) clipped.push(`${focused} by ${clippers.join(', ')}`)
        }
        assert.ok(titleLinks >= 1, 'the keyboard reached the result titles')
        assert.deepEqual(clipped, [], `at ${width} px`)
      })
    }
  })

  test('highlighted words and placeholders are readable (4.5:1) in the light and the dark theme', async () => {
    // Each mark's text on its own background, and each field's placeholder on the field.
    const pairs = `(() => {
      const pairs = [...document.querySelectorAll('mark')].map((m) => ({ what: 'mark in ' + m.closest('[class]').className, fg: getComputedStyle(m).color, bg: getComputedStyle(m).backgroundColor }))
      for (const field of document.querySelectorAll('input[placeholder]')) {
        pairs.push({ what: 'placeholder of #' + field.id, fg: getComputedStyle(field, '::placeholder').color, bg: getComputedStyle(field).backgroundColor })
      }
      return pairs
    })()`
    const luminance = (rgb: string): number => {
      const [r, g, b] = rgb.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
        const c = Number(v) / 255
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
      }) as [number, number, number]
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', colorScheme })
      try {
        const page = await context.newPage()
        await page.goto(`${server.url}/?q=${encodeURIComponent(EXAMPLE_QUERY)}`)
        await waitForResults(page)
        const found = (await page.evaluate(pairs)) as { what: string; fg: string; bg: string }[]
        assert.ok(found.some((p) => p.what === 'mark in hit-title') && found.some((p) => p.what.startsWith('placeholder')), JSON.stringify(found))
        const poor = found
          .map(({ what, fg, bg }) => {
            const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number]
            return { what, ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100 }
          })
          .filter(({ ratio }) => ratio < 4.5)
        assert.deepEqual(poor, [], colorScheme)
      } finally {
        await context.close()
      }
    }
  })

  test('on a phone the search box shows its example query whole, not cut off mid-character', async () => {
    for (const width of [375, 320]) {
      await inBrowser(width, '/', async (page) => {
        const { text, room } = (await page.evaluate(`(() => {
          const box = document.getElementById('q')
          const style = getComputedStyle(box)
          const ruler = document.createElement('canvas').getContext('2d')
          ruler.font = style.font
          return { text: ruler.measureText(box.placeholder).width, room: box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) }
        })()`)) as { text: number; room: number }
        assert.ok(text <= room, `the placeholder is ${Math.round(text)} px in ${Math.round(room)} px at ${width} px`)
        assert.match(await page.getByLabel('搜索文章').getAttribute('placeholder') ?? '', new RegExp(EXAMPLE_QUERY))
      })
    }
  })

  test('the syntax help names every form a query may take, and each example works as it says', async () => {
    await inBrowser(375, '/', async (page) => {
      await page.locator('#syntax-summary').click()
      const help = await page.locator('.syntax ul').innerText()
      for (const form of ['"精确短语"', '“”', '「」', '《》', '-排除', 'A OR B', 'A | B', 'title:词', 'category:分类', 'tag:标签', '紅旗區', '軟體']) {
        assert.ok(help.includes(form), `${form} in: ${help}`)
      }
      // A | B finds what either side finds alone.
      const total = async (q: string) => {
        await page.goto(`${server.url}/?q=${encodeURIComponent(q)}`)
        await waitForResults(page)
        return Number(/找到 ([\d,]+) 篇/.exec(await page.locator('#status').innerText())![1]!.replaceAll(',', ''))
      }
      const either = await total('红旗区 | 新乡')
      assert.ok(either >= (await total('新乡')) && either >= (await total('红旗区')))
      assert.ok((await total('tag:新乡日报新闻')) > 0)
      // Traditional characters find the simplified text, and Taiwan's word the mainland's.
      assert.equal(await total('紅旗區'), await total('红旗区'))
      assert.ok((await total('軟體')) >= (await total('软件')) && (await total('软件')) > 0)
    })
  })

  test('pinyin typed without an input method finds nothing, and the page offers the word it spells', async () => {
    await inBrowser(375, `/?q=hongqiqu`, async (page) => {
      const offer = page.locator('#did-you-mean')
      await offer.waitFor({ state: 'visible' })
      assert.equal(await offer.innerText(), '是不是要找“红旗区”？')
      await offer.getByRole('link', { name: '红旗区' }).click()
      await page.waitForURL((url) => url.searchParams.get('q') === '红旗区')
      await waitForResults(page)
      assert.equal(await offer.isVisible(), false)
      // Letters that are no pinyin, or a query that finds nothing in Chinese, get no offer.
      for (const q of ['qxzvbn', '鲲鹏翱翔不存在之词']) {
        await page.goto(`${server.url}/?q=${encodeURIComponent(q)}`)
        await page.locator('#empty').waitFor({ state: 'visible' })
        await page.waitForTimeout(300)
        assert.equal(await offer.isVisible(), false, q)
      }
    })
  })

  test('a word no post holds, sounding as one they do, is offered corrected: above partial results, and when nothing is found', async () => {
    await inBrowser(375, `/?q=${encodeURIComponent('鸿旗区 今年')}`, async (page) => {
      await waitForResults(page)
      const offer = page.locator('#notice').getByRole('link', { name: '红旗区 今年' })
      assert.equal(await offer.locator('..').innerText(), '是不是要找“红旗区 今年”？')
      // Heard with the count: the notices are no live region.
      const heard = (await page.getByRole('status').filter({ hasText: '找到' }).textContent()) ?? ''
      assert.match(heard, /是不是要找“\u2068红旗区 今年\u2069”？/)
      assert.match(heard, /只包含部分关键词/)
      await offer.click()
      await page.waitForURL((url) => url.searchParams.get('q') === '红旗区 今年')
      await waitForResults(page)
      assert.equal(await page.locator('#notice').getByRole('link').count(), 0)
      await page.goto(`${server.url}/?q=${encodeURIComponent('宏旗区')}`)
      const empty = page.locator('#did-you-mean')
      await empty.waitFor({ state: 'visible' })
      assert.equal(await empty.innerText(), '是不是要找“红旗区”？')
      assert.match((await page.locator('#status').textContent()) ?? '', /^没有找到.*是不是要找“\u2068红旗区\u2069”？$/)
    })
  })

  test('a post without a source link opens to its text with the terms marked; 全文 reads any post; the way back keeps the search', async () => {
    await inBrowser(375, `/?q=${encodeURIComponent(FIXTURE_PHRASE)}&sort=date`, async (page, watch) => {
      await waitForResults(page)
      const noLink = page.locator('#hits .hit', { hasText: '没有原文链接' })
      const title = noLink.locator('.hit-title a')
      assert.equal(await title.getAttribute('href'), `/read.html?id=${NO_LINK_POST_ID}&q=${encodeURIComponent(FIXTURE_PHRASE)}`)
      await title.click()
      await page.waitForURL(/\/read\.html\?/)
      await page.locator('#article').waitFor({ state: 'visible' })
      assert.match(await page.locator('#article-title').innerText(), /没有原文链接的夹具文章/)
      assert.match(await page.title(), /^没有原文链接的夹具文章：橙色鲸鱼巡游记 · 检索$/)
      assert.deepEqual(await page.locator('#article-body mark').allInnerTexts(), [FIXTURE_PHRASE])
      assert.match(await page.locator('#marks-summary').innerText(), /共 1 处/)
      assert.match(await page.locator('#article-body').innerText(), /又回到了港口/)

      // Opened from a search that only part of matches (a relaxed answer), the summary names what is
      // marked, not every word searched: it said 正文中高亮了 “橙色鲸鱼”、“紫色海马”, and 紫色海马 is not there.
      await page.goto(`${server.url}/read.html?id=${NO_LINK_POST_ID}&q=${encodeURIComponent(`${FIXTURE_PHRASE} 紫色海马`)}`)
      await page.locator('#article').waitFor({ state: 'visible' })
      assert.equal(await page.locator('#marks-summary').innerText(), `正文中高亮了 “${FIXTURE_PHRASE}”，共 1 处。`)
      await page.goBack()
      await page.locator('#article').waitFor({ state: 'visible' })
      assert.match(await page.locator('#article-meta').innerText(), new RegExp(`fixtures/${NO_LINK_POST_ID}\\.md`))
      const width = await page.evaluate('document.documentElement.scrollWidth')
      assert.ok(Number(width) <= 375, `the page is ${String(width)} px wide`)
      await page.screenshot({ path: path.join(ARTIFACTS, 'reader-phone-375.png'), fullPage: true })

      // Back to the same search, its sort order included.
      await page.locator('#back').click()
      await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('sort') === 'date')
      await waitForResults(page)
      assert.equal(await page.getByLabel('搜索文章').inputValue(), FIXTURE_PHRASE)

      // The post with <script> in its text: shown as text on the reading page too.
      await page.goto(`${server.url}/read.html?id=${SCRIPT_POST_ID}&q=script`)
      await page.locator('#article').waitFor({ state: 'visible' })
      assert.match(await page.locator('#article-title').innerText(), /<script>window.__pwned_title=1<\/script>/)
      assert.equal(await page.locator('#article script, #article img').count(), 0)
      assert.deepEqual(await page.evaluate('[typeof __pwned_title, typeof __pwned_body, typeof __pwned_img]'), ['undefined', 'undefined', 'undefined'])

      // A hit with a source link keeps it on its title and offers the indexed text beside it.
      await page.goto(`${server.url}/?q=${encodeURIComponent(EXAMPLE_QUERY)}`)
      await waitForResults(page)
      const first = page.locator('#hits .hit').first()
      assert.equal(await first.locator('.hit-title a').getAttribute('href'), 'http://example.org/news/NW202303280830126645')
      await first.locator('.hit-read').click()
      await page.locator('#article').waitFor({ state: 'visible' })
      assert.deepEqual([...new Set(await page.locator('#article-body mark').allInnerTexts())].sort(), ['断头路', '红旗区'])
      assert.equal(await page.getByRole('link', { name: '原文链接' }).getAttribute('href'), 'http://example.org/news/NW202303280830126645')

      // A link to a post no longer in the index says so.
      await page.goto(`${server.url}/read.html?id=2099-01-01-gone&q=x`)
      const alert = page.getByRole('alert')
      await alert.waitFor({ state: 'visible' })
      assert.match(await alert.innerText(), /找不到这篇文章/)
      assert.equal(await page.locator('#article').isVisible(), false)
      watch.consoleErrors = watch.consoleErrors.filter((e) => !/status of 404/.test(e))
    })
  })

  test('on a phone, a later page still offers the first page besides previous and next', async () => {
    await inBrowser(375, `/?q=${encodeURIComponent(COMMON_WORD)}&page=3`, async (page) => {
      await waitForResults(page)
      const shown = await page.locator('#pager a:visible, #pager span:visible').allInnerTexts()
      assert.deepEqual(shown, ['上一页', '1', '3', '下一页'])
      await page.getByRole('link', { name: '第 1 页' }).click()
      await page.waitForURL((url) => !url.search.includes('page='))
      await waitForResults(page)
    })
  })
})
