import type { RequestHandler } from 'express'
import helmet from 'helmet'

/**
 * Security headers. The page loads only its own script, style and icon and talks only to this
 * server, so the policy allows `'self'` and nothing else: no inline script or style, no frames,
 * no plugins. A snippet that somehow carried markup could still not run script or load anything.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        // Not upgrade-insecure-requests: the server often runs on plain http (loopback, a LAN
        // address), where upgrading the page's own requests to https would break it.
      },
    },
    // Result links lead to the articles' source sites; they need not learn what was searched.
    referrerPolicy: { policy: 'no-referrer' },
    // The server speaks plain HTTP; whether a host and its subdomains are HTTPS-only is for the TLS
    // proxy in front of it to declare, not for a search page to decide for the whole domain.
    strictTransportSecurity: false,
  })
}
