import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http'
import type express from 'express'

/**
 * The HTTP server's request and response classes for `app`, whose instances are born with the
 * prototypes Express gives them (`app.request`, `app.response`): Express sets those with
 * Object.setPrototypeOf on each request and response as it enters the app, after which V8 keeps no
 * hidden classes for them. Every property Node, the router and the middleware then added built new
 * ones, per request, and their property accesses missed the inline caches: a fifth of the main thread's
 * perf samples at 100,000 posts, cache off (with these classes its CPU per search went from 0.37 to
 * 0.26 ms, a cache hit's from 0.17 to 0.085 ms). The classes' prototypes become the app's, in front of
 * Express's own, so Express's switch finds them in place and changes nothing. Call once per app.
 */
export function appMessageClasses(app: express.Express): Pick<ServerOptions, 'IncomingMessage' | 'ServerResponse'> {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  Object.setPrototypeOf(AppRequest.prototype, app.request)
  Object.setPrototypeOf(AppResponse.prototype, app.response)
  app.request = AppRequest.prototype as unknown as express.Request
  app.response = AppResponse.prototype as unknown as express.Response
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as typeof ServerResponse }
}
