import { FACET_NAMES } from '../search/types.js'
import { MAX_ID_LENGTH } from './doc-route.js'
import { MAX_SUGGESTIONS } from '../suggest/suggest-index.js'
import { DEFAULT_PAGE_SIZE, filterLength, MAX_PAGE, MAX_PAGE_SIZE, type SearchLimits } from './search-params.js'

type Schema = Record<string, unknown>

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })

const day = (name: string, description: string): Schema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
})

const errorResponse = (description: string, headers: Schema = {}): Schema => ({
  description,
  headers,
  content: { 'application/json': { schema: ref('Error') } },
})

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } } }

/** What the server answers, with the same error body, to a request it cannot take at all (src/server/serve.ts, routes). */
const transportErrors = {
  '405': errorResponse('A method other than GET or HEAD; the Allow header lists those.'),
  '408': errorResponse('The request took too long to arrive.'),
  '417': errorResponse('An Expect header other than 100-continue.'),
  '431': errorResponse('The request line and headers are over 16 KB.'),
}

/**
 * The OpenAPI 3.1 description of the HTTP API (CONTRACT.md plus facets, suggestions and the health fields),
 * served at `/openapi.json`. Its schemas are plain JSON Schema 2020-12, strict about the fields
 * CONTRACT.md promises, and checked against real responses by test/server/openapi.test.ts.
 */
export function openApiDocument(limits: SearchLimits): Schema {
  const facetList = FACET_NAMES.join(',')
  return {
    openapi: '3.1.0',
    info: {
      title: 'jiansuo',
      version: '1',
      description:
        'Chinese full-text search over an archive of Jekyll posts. Errors are JSON with a 4xx or 503 status; the server never answers 500 to a bad request.',
    },
    paths: {
      '/search': {
        get: {
          operationId: 'search',
          summary: 'Ranked hits for a query, with highlighted titles and snippets',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: true,
              description: `The query: terms (all must occur), "phrases", -exclusions, A OR B, title:term, category:slug, tag:name, -category:slug, -tag:name. At most ${limits.maxQueryLength} characters.`,
              schema: { type: 'string', minLength: 1, maxLength: limits.maxQueryLength },
              example: '红旗区 断头路',
            },
            { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 } },
            {
              name: 'size',
              in: 'query',
              required: false,
              description: 'Hits per page.',
              schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
            },
            { name: 'category', in: 'query', required: false, description: 'Only posts in this category.', schema: { type: 'string', maxLength: filterLength(limits.maxQueryLength) } },
            { name: 'tag', in: 'query', required: false, description: 'Only posts with this tag.', schema: { type: 'string', maxLength: filterLength(limits.maxQueryLength) } },
            day('from', 'Only posts dated on or after this day (in the post’s own time zone).'),
            day('to', 'Only posts dated on or before this day.'),
            {
              name: 'sort',
              in: 'query',
              required: false,
              description: 'relevance (best first) or date (newest first, undated last; in a relaxed answer the posts holding more of the terms still come first, each level newest first).',
              schema: { type: 'string', enum: ['relevance', 'date'], default: 'relevance' },
            },
            {
              name: 'facets',
              in: 'query',
              required: false,
              description: `Comma-separated facets to count over the whole filtered result set: any of ${facetList}.`,
              schema: { type: 'string', pattern: `^(${FACET_NAMES.join('|')})(,(${FACET_NAMES.join('|')}))*$` },
              example: facetList,
            },
          ],
          responses: {
            '200': { description: 'The page of hits asked for.', content: { 'application/json': { schema: ref('SearchResponse') } } },
            '400': errorResponse('A parameter is missing, malformed or out of range; `error.param` names it.'),
            '429': errorResponse('Too many searches from this client address.', retryAfter),
            '503': errorResponse('Too many searches are waiting, or this one waited too long (`busy`; retry after the given delay); no search thread is running (`unavailable`); or the index on disk is damaged (`index_damaged`) until it is rebuilt.', retryAfter),
            ...transportErrors,
          },
        },
      },
      '/suggest': {
        get: {
          operationId: 'suggest',
          summary: 'Up to 8 completions of what is being typed: article titles and frequent indexed words',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: true,
              description: `What has been typed so far. At most ${limits.maxQueryLength} characters.`,
              schema: { type: 'string', minLength: 1, maxLength: limits.maxQueryLength },
              example: '红旗',
            },
          ],
          responses: {
            '200': { description: 'The suggestions, best first.', content: { 'application/json': { schema: ref('SuggestResponse') } } },
            '400': errorResponse('q is missing, blank or too long.'),
            '429': errorResponse('Too many suggestion requests from this client address.', retryAfter),
            '503': errorResponse('The index was built without suggestions; rebuild it.'),
            ...transportErrors,
          },
        },
      },
      '/doc': {
        get: {
          operationId: 'document',
          summary: 'One post in full, as indexed, with the terms of a query marked',
          parameters: [
            { name: 'id', in: 'query', required: true, description: 'The post’s id, as in a hit.', schema: { type: 'string', minLength: 1, maxLength: MAX_ID_LENGTH }, example: '2022-03-29-202203292325812882' },
            {
              name: 'q',
              in: 'query',
              required: false,
              description: `A query whose terms to mark, as /search marks them in the post’s hit. At most ${limits.maxQueryLength} characters.`,
              schema: { type: 'string', maxLength: limits.maxQueryLength },
              example: '红旗区 断头路',
            },
          ],
          responses: {
            '200': { description: 'The post.', content: { 'application/json': { schema: ref('DocumentView') } } },
            '400': errorResponse('id is missing, empty, repeated or too long, or q is repeated or too long; `error.param` names it.'),
            '404': errorResponse('No post has this id in the index being served.'),
            '429': errorResponse('Too many document requests from this client address.', retryAfter),
            '503': errorResponse('The index on disk is damaged (`index_damaged`) until it is rebuilt.'),
            ...transportErrors,
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Whether an index is loaded, and which build',
          responses: {
            '200': { description: 'Serving.', content: { 'application/json': { schema: ref('Health') } } },
            '503': { description: 'The served index was found damaged on disk (status `damaged`; searches answer 503 until it is rebuilt), or no search thread is running (status `unavailable`; the next index loaded starts them again).', content: { 'application/json': { schema: ref('Health') } } },
            ...transportErrors,
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'The OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } }, ...transportErrors },
        },
      },
    },
    components: {
      schemas: {
        SearchResponse: {
          type: 'object',
          required: ['query', 'terms', 'total', 'page', 'size', 'took_ms', 'relaxed', 'hits'],
          additionalProperties: false,
          properties: {
            query: { type: 'string', description: 'The query as given.' },
            terms: { type: 'array', items: { type: 'string' }, description: 'The terms searched for, as analysed.' },
            total: { type: 'integer', minimum: 0, description: 'All matches, not just this page.' },
            page: { type: 'integer', minimum: 1 },
            size: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
            took_ms: { type: 'number', minimum: 0 },
            relaxed: { type: 'boolean', description: 'True when too few posts hold every term and posts holding most of them follow.' },
            did_you_mean: {
              type: 'string',
              minLength: 1,
              description:
                'Present only when the query found nothing or was relaxed: the query with a word no post holds replaced by one that sounds the same (宏旗区 → 红旗区), which more posts hold with every other term.',
            },
            hits: { type: 'array', maxItems: MAX_PAGE_SIZE, items: ref('Hit') },
            facets: ref('FacetCounts'),
          },
        },
        Hit: {
          type: 'object',
          required: ['id', 'path', 'title', 'title_html', 'url', 'date', 'categories', 'tags', 'score', 'snippet_html'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', minLength: 1, description: 'The file name without its extension (prefixed by its sub-folder when not unique).' },
            path: { type: 'string', minLength: 1, description: 'The file’s path relative to the indexed folder.' },
            title: { type: 'string' },
            title_html: { type: 'string', description: 'The title, HTML-escaped; only <mark>…</mark> is markup.' },
            url: { type: ['string', 'null'], description: 'The post’s source link, or null.' },
            date: {
              type: ['string', 'null'],
              pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$',
              description: 'ISO 8601 with the post’s own offset, or null.',
            },
            categories: { type: 'array', items: { type: 'string' } },
            tags: { type: 'array', items: { type: 'string' } },
            score: {
              type: 'number',
              description: 'BM25F with its bonuses. Hits are ordered first by how many terms a post holds, and holds as typed and as real words, then by score: it only orders hits of one level, so it may rise where the level changes.',
            },
            snippet_html: { type: 'string', description: 'The passage that matched, HTML-escaped; only <mark>…</mark> is markup; … marks a cut.' },
          },
        },
        DocumentView: {
          type: 'object',
          required: ['id', 'path', 'title', 'title_html', 'url', 'date', 'categories', 'tags', 'source', 'terms', 'paragraphs_html'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', minLength: 1 },
            path: { type: 'string', minLength: 1 },
            title: { type: 'string' },
            title_html: { type: 'string', description: 'The title, HTML-escaped; only <mark>…</mark> is markup.' },
            url: { type: ['string', 'null'], description: 'The post’s source link, or null.' },
            date: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$' },
            categories: { type: 'array', items: { type: 'string' } },
            tags: { type: 'array', items: { type: 'string' } },
            source: { type: ['string', 'null'], description: 'The publication the post names as its source, or null.' },
            terms: { type: 'array', items: { type: 'string' }, description: 'The terms of q as analysed (empty without q).' },
            paragraphs_html: {
              type: 'array',
              items: { type: 'string' },
              description: 'The body’s paragraphs as indexed (text only), HTML-escaped; only <mark>…</mark> is markup.',
            },
          },
        },
        FacetCounts: {
          type: 'object',
          additionalProperties: false,
          description: 'Present when facets were asked for. Categories and tags most frequent first (at most 100 each); years newest first.',
          properties: Object.fromEntries(FACET_NAMES.map((name) => [name, { type: 'array', items: ref('FacetCount') }])),
        },
        FacetCount: {
          type: 'object',
          required: ['value', 'count'],
          additionalProperties: false,
          properties: { value: { type: 'string' }, count: { type: 'integer', minimum: 1 } },
        },
        SuggestResponse: {
          type: 'object',
          required: ['query', 'suggestions'],
          additionalProperties: false,
          properties: {
            query: { type: 'string' },
            suggestions: {
              type: 'array',
              maxItems: MAX_SUGGESTIONS,
              items: {
                type: 'object',
                required: ['text', 'kind'],
                additionalProperties: false,
                properties: {
                  text: { type: 'string', minLength: 1 },
                  kind: { type: 'string', enum: ['word', 'title'], description: 'word: a frequent indexed word starting with q, or whose pinyin does when no word does (hongqi, hqq → 红旗区); title: an article title.' },
                  id: { type: 'string', description: 'For titles: the id of the newest article with this title.' },
                },
              },
            },
          },
        },
        Health: {
          type: 'object',
          required: ['status', 'documents'],
          properties: {
            status: { type: 'string', enum: ['ok', 'damaged', 'unavailable'] },
            documents: { type: 'integer', minimum: 0 },
            generation: { type: 'string', description: 'The index build being served (its folder under the index folder).' },
            built_at: { type: 'string', format: 'date-time' },
            queued_searches: { type: 'integer', minimum: 0 },
            search_threads: { type: 'integer', minimum: 0, description: 'Worker threads answering searches now (0: searches run on the main thread).' },
            cache: {
              type: 'object',
              description: 'The /search response cache, when enabled.',
              properties: {
                entries: { type: 'integer', minimum: 0 },
                bytes: { type: 'integer', minimum: 0 },
                hits: { type: 'integer', minimum: 0 },
                misses: { type: 'integer', minimum: 0 },
              },
            },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          additionalProperties: false,
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              additionalProperties: false,
              properties: {
                code: { type: 'string', examples: ['bad_request', 'rate_limited', 'busy', 'not_found'] },
                message: { type: 'string' },
                param: { type: 'string', description: 'The query parameter at fault, when one is.' },
              },
            },
          },
        },
      },
    },
  }
}
