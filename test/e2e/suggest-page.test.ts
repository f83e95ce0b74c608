// Suggestions under the search box, in real headless Chromium against a real server over the demo index.
import assert from 'node:assert/strict'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { RunningServer } from '../../src/server/serve.js'
import { buildTestIndex, repoRoot, startTestServer, type TestIndex } from '../server/fixture.js'

const CHROMIUM = '/usr/bin/chromium'
const ARTIFACTS = path.join(repoRoot, 'test/artifacts')

const chromiumMissing = !existsSync(CHROMIUM)
if (chromiumMissing && !process.env.CI) console.warn(`# SKIPPING suggestion browser tests: ${CHROMIUM} not found`)

let index: TestIndex
let server: RunningServer
let browser: Browser

/** Requests the page made, and anything it did wrong. */
interface Watch {
  suggests: string[]
  searches: string[]
  problems: string[]
}

describe('suggestions on the search page', { skip: chromiumMissing ? `${CHROMIUM} not found` : false }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    index = await buildTestIndex()
    server = await startTestServer(index.indexDir, { rateLimit: false })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    index?.remove()
  })

  async function inBrowser(width: number, check: (page: Page, watch: Watch) => Promise<void>, url = server.url): Promise<void> {
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'zh-CN' })
    const page = await context.newPage()
    const watch: Watch = { suggests: [], searches: [], problems: [] }
    page.on('pageerror', (err) => watch.problems.push(err.message))
    page.on('dialog', (dialog) => {
      watch.problems.push(`dialog: ${dialog.message()}`)
      void dialog.dismiss()
    })
    page.on('console', (message) => {
      if (message.type() === 'error') watch.problems.push(message.text())
    })
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname === '/suggest') watch.suggests.push(url.searchParams.get('q') ?? '')
      if (url.pathname === '/search') watch.searches.push(url.searchParams.get('q') ?? '')
    })
    try {
      await page.goto(`${url}/`)
      await check(page, watch)
      assert.deepEqual(watch.problems, [], 'no script errors, dialogs or CSP violations')
    } finally {
      await context.close()
    }
  }

  const box = (page: Page) => page.getByRole('combobox', { name: '搜索文章' })
  const listbox = (page: Page) => page.getByRole('listbox', { name: '搜索建议' })
  const options = (page: Page) => listbox(page).getByRole('option')

  /** Types through Chromium's input-method path: pinyin composes, then the characters are committed. */
  async function typeWithInputMethod(page: Page, pinyin: string[], committed: string): Promise<void> {
    const cdp = await page.context().newCDPSession(page)
    for (const text of pinyin) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length })
      await page.waitForTimeout(60)
    }
    await cdp.send('Input.insertText', { text: committed })
  }

  test('typing 红旗 with an input method shows 红旗区 among at most 8 suggestions, none for the pinyin', async () => {
    await inBrowser(1280, async (page, watch) => {
      await box(page).click()
      await typeWithInputMethod(page, ['h', 'hong', 'hongqi'], '红旗')
      await options(page).filter({ hasText: /^红旗区$/ }).waitFor()
      const shown = await options(page).allInnerTexts()
      assert.ok(shown.length >= 2 && shown.length <= 8, shown.join(' | '))
      assert.ok(shown.every((text) => text.includes('红旗')), shown.join(' | '))
      assert.ok(shown.some((text) => text.endsWith('文章')), 'article titles are shown and labelled')
      assert.deepEqual(watch.suggests, ['红旗'], 'asked once, for the composed characters, never for pinyin')
      assert.equal(await box(page).getAttribute('aria-expanded'), 'true')
      assert.equal(await box(page).getAttribute('aria-controls'), 'suggestions')
      await page.screenshot({ path: path.join(ARTIFACTS, 'suggestions-desktop-1280.png') })
    })
  })

  test('a query using syntax (-红, title:红, "红旗", OR) gets no suggestions, which would replace it with plain words', async () => {
    await inBrowser(1280, async (page, watch) => {
      for (const typed of ['长江 -', '长江 -红', 'title:红', '"红旗', '「红旗', '长江｜红', '长江 OR 红']) {
        await box(page).fill('')
        await box(page).pressSequentially(typed)
        await page.waitForTimeout(600)
        assert.equal(await listbox(page).isVisible(), false, typed)
      }
      // Nor does the down arrow, which asks for suggestions when the list is closed.
      for (const typed of ['-长江', '"长江']) {
        await box(page).fill(typed)
        await box(page).press('ArrowDown')
        await page.waitForTimeout(300)
        assert.equal(await listbox(page).isVisible(), false, `ArrowDown on ${typed}`)
      }
      // A pause while typing may ask for what came before the syntax (长江), never for the syntax.
      assert.deepEqual(watch.suggests.filter((q) => /-|title:|"|「|｜|OR/.test(q)), [], watch.suggests.join(' | '))
    })
  })

  test('arrow keys move through the list, Enter picks and searches, Escape closes', async () => {
    await inBrowser(1280, async (page, watch) => {
      await box(page).click()
      await box(page).pressSequentially('红旗')
      await options(page).first().waitFor()
      const texts = await page.locator('#suggestions .suggestion-text').allInnerTexts()

      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      const second = options(page).nth(1)
      assert.equal(await second.getAttribute('aria-selected'), 'true')
      assert.equal(await box(page).getAttribute('aria-activedescendant'), await second.getAttribute('id'))
      await page.keyboard.press('ArrowUp')
      assert.equal(await options(page).first().getAttribute('aria-selected'), 'true')
      await page.keyboard.press('ArrowUp') // back to what was typed
      assert.equal(await box(page).getAttribute('aria-activedescendant'), null)

      await page.keyboard.press('Escape')
      await listbox(page).waitFor({ state: 'hidden' })
      assert.equal(await box(page).inputValue(), '红旗', 'Escape closes the list without clearing the box')
      assert.equal(await box(page).getAttribute('aria-expanded'), 'false')

      await page.keyboard.press('ArrowDown') // reopens
      await options(page).first().waitFor()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
      await page.waitForURL((url) => url.searchParams.get('q') === texts[1])
      assert.equal(await box(page).inputValue(), texts[1])
      await listbox(page).waitFor({ state: 'hidden' })
      await page.locator('#hits .hit').first().waitFor()
      assert.equal(watch.searches.at(-1), texts[1])
    })
  })

  test('a click on a title suggestion searches it, and the article comes first', async () => {
    await inBrowser(1280, async (page) => {
      await box(page).pressSequentially('红旗区')
      const title = page.locator('#suggestions .suggestion-title').first()
      await title.waitFor()
      const text = await title.locator('.suggestion-text').innerText()
      await title.click()
      await page.waitForURL((url) => url.searchParams.get('q') === text)
      await page.locator('#hits .hit').first().waitFor()
      assert.equal((await page.locator('#hits .hit-title').first().innerText()).trim(), text)
    })
  })

  test('pinyin typed without an input method (hongqi, hqq) suggests 红旗区, and picking it searches the word', async () => {
    await inBrowser(375, async (page) => {
      for (const typed of ['hongqi', 'hqq']) {
        await box(page).fill('')
        await box(page).pressSequentially(typed)
        await page.locator('#suggestions .suggestion-text', { hasText: '红旗区' }).first().waitFor()
      }
      await page.locator('#suggestions [role="option"]', { hasText: /^红旗区$/ }).first().click()
      await page.waitForURL((url) => url.searchParams.get('q') === '红旗区')
      await page.locator('#hits .hit').first().waitFor()
    })
  })

  test('an error answer closes the list left from what was typed before', async () => {
    // A server whose limit is shorter than the page's: 红旗 is answered, 红旗区道路 refused with a 400.
    const strict = await startTestServer(index.indexDir, { rateLimit: false, maxQueryLength: 4 })
    try {
      await inBrowser(
        1280,
        async (page, watch) => {
          await box(page).pressSequentially('红旗')
          await options(page).first().waitFor()
          const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/suggest' && r.status() === 400)
          await box(page).pressSequentially('区道路')
          await refused
          // The list of 红旗's suggestions stayed open under 红旗区道路, ready to be picked with the arrows.
          await listbox(page).waitFor({ state: 'hidden', timeout: 2000 })
          assert.equal(await box(page).getAttribute('aria-expanded'), 'false')
          // Chromium reports each refused request on the console; those are expected here.
          watch.problems = watch.problems.filter((p) => !/status of 400/.test(p))
        },
        strict.url,
      )
    } finally {
      await strict.close()
    }
  })

  test('on a phone the list fits the screen; clearing the box closes it', async () => {
    await inBrowser(375, async (page) => {
      await box(page).pressSequentially('ru')
      await options(page).filter({ hasText: /^Rust$/ }).waitFor()
      const list = await listbox(page).boundingBox()
      assert.ok(list && list.x >= 0 && list.x + list.width <= 375, `list at ${JSON.stringify(list)}`)
      await page.screenshot({ path: path.join(ARTIFACTS, 'suggestions-phone-375.png') })
      await box(page).fill('')
      await listbox(page).waitFor({ state: 'hidden' })
    })
  })
})
