// Runs one operation with sparql-http-client (its default StreamClient) against an rlskg serve and
// prints the result as a line of JSON (see terms.mjs): {"type": "bindings", "rows": [...]},
// {"type": "boolean", "value": ...}, {"type": "quads", "quads": [N-Quads lines]}, {"type": "void"},
// or {"error": message, "status": HTTP status} (then the exit code is 1).
//
//   node sparql-http-client.mjs [--token T] [--operation get|postUrlencoded|postDirect]
//        [--content-type TYPE] [--graph IRI] [--default-graph IRI] ACTION ROOT [TEXT]
//
// --content-type is the request's Content-Type for a query or update sent by postDirect (which
// sends an update as application/sparql-query unless told). ROOT is the service's root URL: the
// client is given ROOT/sparql, ROOT/update and ROOT/store.
// ACTION is select, ask, construct (TEXT: the query), update (TEXT: the update), store-get (the
// graph --graph, or the default graph), store-put and store-post (the triples of the CONSTRUCT
// query TEXT, streamed into the graph --graph, or the default graph), store-delete (the graph
// --graph, or the default graph, by the client's own fetch: its store has no delete method).
import { parseArgs } from 'node:util'
import SparqlClient from 'sparql-http-client'
import { fail, print, quad, row, usage } from './terms.mjs'

const { values, positionals } = parseArgs({
  options: {
    token: { type: 'string' },
    operation: { type: 'string' },
    graph: { type: 'string' },
    'content-type': { type: 'string' },
    'default-graph': { type: 'string' }
  },
  allowPositionals: true
})
if (positionals.length < 2) usage('sparql-http-client.mjs [options] ACTION ROOT [TEXT]')
const [action, root, text] = positionals
const base = root.replace(/\/$/, '')

const client = new SparqlClient({
  endpointUrl: `${base}/sparql`,
  updateUrl: `${base}/update`,
  storeUrl: `${base}/store`,
  headers: values.token ? { authorization: `Bearer ${values.token}` } : undefined
})
const options = {}
if (values.operation) options.operation = values.operation
if (values['content-type']) options.headers = { 'content-type': values['content-type'] }
// As a parameter: StreamQuery's select, ask and construct do not pass their defaultGraph option on.
if (values['default-graph']) options.parameters = { 'default-graph-uri': values['default-graph'] }
const graph = values.graph ? client.factory.namedNode(values.graph) : undefined

async function collect (stream) {
  const items = []
  for await (const item of stream) items.push(item)
  return items
}

try {
  switch (action) {
    case 'select': {
      const rows = await collect(client.query.select(text, options))
      print({ type: 'bindings', rows: rows.map(r => row(Object.entries(r))) })
      break
    }
    case 'ask':
      print({ type: 'boolean', value: await client.query.ask(text, options) })
      break
    case 'construct':
      print({ type: 'quads', quads: (await collect(client.query.construct(text, options))).map(quad) })
      break
    case 'update':
      await client.query.update(text, options)
      print({ type: 'void' })
      break
    case 'store-get':
      print({ type: 'quads', quads: (await collect(client.store.get(graph))).map(quad) })
      break
    case 'store-put':
    case 'store-post': {
      const write = action === 'store-put' ? 'put' : 'post'
      await client.store[write](client.query.construct(text), { graph })
      print({ type: 'void' })
      break
    }
    case 'store-delete': {
      const url = new URL(client.storeUrl)
      if (values.graph) url.searchParams.append('graph', values.graph)
      else url.searchParams.append('default', '')
      const response = await client.fetch(url, { method: 'DELETE', headers: client.headers })
      if (!response.ok) {
        const error = new Error(`${response.statusText} (${response.status}): ${await response.text()}`)
        error.status = response.status
        throw error
      }
      print({ type: 'void', status: response.status })
      break
    }
    default:
      fail(new Error(`unknown action ${action}`))
  }
} catch (error) {
  fail(error)
}
