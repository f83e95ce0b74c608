// The server's request and response classes: born with the app's prototypes, so Express need not switch them.
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import express from 'express'
import { appMessageClasses } from '../../src/server/app-prototypes.js'

/** Serves `app` with or without the app's classes; counts Object.setPrototypeOf calls that changed a request's or response's prototype. */
async function serveCounting(withClasses: boolean): Promise<{ body: unknown; switched: number }> {
  const app = express()
  app.get('/echo', (req, res) => {
    res.status(201).json({ q: req.query.q, path: req.path })
  })
  const server = createServer(withClasses ? appMessageClasses(app) : {}, app)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const setPrototypeOf = Object.setPrototypeOf
  let switched = 0
  Object.setPrototypeOf = (object: unknown, prototype: object | null) => {
    if ((prototype === app.request || prototype === app.response) && Object.getPrototypeOf(object) !== prototype) switched++
    return setPrototypeOf(object, prototype)
  }
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/echo?q=%E7%BA%A2`)
    assert.equal(response.status, 201)
    return { body: await response.json(), switched }
  } finally {
    Object.setPrototypeOf = setPrototypeOf
    server.close()
  }
}

test("requests and responses are born with the app's prototypes, and Express's helpers still answer", async () => {
  const { body, switched } = await serveCounting(true)
  assert.deepEqual(body, { q: '红', path: '/echo' })
  assert.equal(switched, 0)
})

test('a plain server leaves Express to switch both prototypes of every request (what the classes avoid)', async () => {
  const { body, switched } = await serveCounting(false)
  assert.deepEqual(body, { q: '红', path: '/echo' })
  assert.equal(switched, 2)
})
