import { Router } from 'express'
import { z } from 'zod'
import { CorruptIndexError } from '../index/container.js'
import type { EngineHandle } from './engine-handle.js'
import { getOnly, HttpError } from './errors.js'
import type { QueryValues } from './query-string.js'
import { isBlank, longerThan, optionalText, queryChecker, single, type SearchLimits } from './search-params.js'

/** Longest id accepted: a file name (at most 255 bytes on common file systems) and the sub-folders that may prefix it. */
export const MAX_ID_LENGTH = 1000

/** What `GET /doc` asks for. */
export interface DocParams {
  id: string
  /** The query whose terms to mark; absent or blank marks nothing. */
  q: string | undefined
}

/**
 * `GET /doc?id=…&q=…`: one post in full, as indexed, with the query's terms marked (README, "GET /doc"),
 * so the page can show an article whose source link is missing or dead.
 */
export function docRoutes(engine: EngineHandle, limits: SearchLimits): Router {
  const router = Router()
  router.get('/doc', (req, res) => {
    const { id, q } = parseDocParams(req.query as QueryValues, limits)
    let view
    try {
      view = engine.current().read(id, q)
    } catch (error) {
      if (error instanceof Error && error.name === CorruptIndexError.name) {
        throw new HttpError(503, 'index_damaged', 'The index on disk is damaged (changed after it was loaded); documents can be read again once it is rebuilt.')
      }
      throw error
    }
    if (view === null) throw new HttpError(404, 'not_found', `No document has the id ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id)}.`, 'id')
    res.set('Cache-Control', 'no-cache')
    res.json(view)
  })

  router.all('/doc', getOnly)
  return router
}

/** The parameters of `GET /doc`; an HttpError 400 naming the one at fault otherwise. */
export function parseDocParams(query: QueryValues, limits: SearchLimits): DocParams {
  return checkDoc(query, limits)
}

const checkDoc = queryChecker(docSchema)

function docSchema(maxQueryLength: number) {
  return z.object({
    id: single('id')
      .refine((id) => id !== '', { message: 'id must not be empty.', abort: true })
      .refine((id) => !longerThan(id, MAX_ID_LENGTH), { message: `id is longer than ${MAX_ID_LENGTH} characters.` }),
    q: optionalText('q', maxQueryLength).transform((q) => (q === undefined || isBlank(q) ? undefined : q)),
  })
}
