// A module of its own: the main thread of a build needs the number, not the parser's modules (cheerio,
// marked, gray-matter: a quarter of a second to load, before the workers could be started).

/**
 * How posts are read. Bumped whenever the same bytes would be read into a different Document (a parsing
 * fix): an index records it, and an update of an index read another way reads every post again instead
 * of keeping documents read the old way. 2: the .html title from <title> or <h1>. 3: titles, categories
 * and tags lose zero-width characters as paragraphs do; all text is NFC; long categories and tags are cut.
 * 4: Markdown's `**bold**` is read beside Chinese punctuation too. 5: `__bold__` and `~~struck~~` too;
 * more invisible characters go; Liquid outputs and comment blocks are not text; table cells on lines of
 * their own stay apart; a footer above a trailing comment is still removed; a post without a date key is
 * dated by its file name. 6: keys after a stray line in the front matter are still read. 7: Markdown
 * footnotes keep their text. 8: ruby annotations (pinyin) are not text. 9: menus (`<nav>`, `role="navigation"`)
 * are not text, and a page with a `<main>` is read from it alone. 10: Markdown whose footnote marks, list
 * items or returns to quotes would take marked minutes is read as plain text; HTML nested too deep inside
 * an iframe or noscript is read flat, and the flat reading keeps what noembed and noframes hold; front
 * matter that is only a date is not a mapping (its line goes to the body, as a list's do). 11: a front
 * matter title is cut to 500 characters. 12: a post whose front matter says `published: false` is skipped.
 * 13: so is one saying `published: no` or `off` (unquoted, in any case), which Jekyll reads as false.
 * 14: ideographic variation selectors (U+E0100–E01EF) go, as the other variation selectors do.
 * 15: control characters written as entities (`&#x1b;`) and C1 controls go, as raw C0 ones do.
 * 16: UTF-16 without a byte order mark is read, not skipped as binary. 17: `source`, and `source_url`, `link`
 * or `url`, in the front matter give the post's source and link; a date that is no date gives way to the file name's.
 * 18: a front matter list left open (`tags: [甲, 乙`) is read as the list, not as the text `[甲, 乙`.
 */
export const INGEST_VERSION = 18
