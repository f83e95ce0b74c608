import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The part of Pagefind's search API (the `pagefind.js` a build writes) the benchmark drives. */
export interface PagefindSearch {
  init(): Promise<void>
  search(term: string): Promise<{ results: { id: string; score: number; data(): Promise<{ url: string }> }[] }>
  destroy(): Promise<void>
}

interface PagefindModule {
  createInstance(options?: { basePath?: string }): PagefindSearch
}

/** A loaded runtime, and the hook that puts `fetch` back as it was. */
export interface PagefindRuntime {
  pagefind: PagefindSearch
  unload(): Promise<void>
}

/**
 * Loads the search runtime Pagefind wrote into `bundleDir` and runs it in Node, unchanged: its own JS and wasm
 * rank the results. Two things a browser page would give it are supplied here. It fetches its files by URL
 * relative to the script, which Node's fetch cannot do for file: URLs, so fetch answers those under the bundle
 * from disk until unload. And it reads the page's language from `<html lang>`, which decides whether a query is
 * cut into words (zh, ja, th) before lookup; a `document` answering `lang` exists only while the instance is made.
 */
export async function loadPagefind(bundleDir: string, lang: string): Promise<PagefindRuntime> {
  const bundleUrl = pathToFileURL(join(bundleDir, '/')).href
  const ownFetch = globalThis.fetch
  const bundleFetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (!url.href.startsWith(bundleUrl)) return ownFetch(input, init)
    try {
      return new Response(await readFile(url))
    } catch {
      return new Response(null, { status: 404 })
    }
  }
  globalThis.fetch = bundleFetch
  const page = { currentScript: null, querySelector: (selector: string) => (selector === 'html' ? { getAttribute: (name: string) => (name === 'lang' ? lang : null) } : null) }
  const globals = globalThis as { document?: unknown }
  let pagefind: PagefindSearch
  try {
    globals.document = page
    const runtime = (await import(new URL('pagefind.js', bundleUrl).href)) as PagefindModule
    pagefind = runtime.createInstance({ basePath: bundleUrl })
  } finally {
    delete globals.document
  }
  await pagefind.init()
  return {
    pagefind,
    async unload() {
      await pagefind.destroy()
      if (globalThis.fetch === bundleFetch) globalThis.fetch = ownFetch
    },
  }
}
