// Runs SPARQL queries and updates with Comunica (@comunica/query-sparql), one after the other,
// and prints each one's result as a line of JSON: {"type": "bindings", "variables": [...],
// "rows": [{var: term}]}, {"type": "quads", "quads": [N-Quads lines]}, {"type": "boolean",
// "value": ...}, {"type": "void"}, or {"error": message} (then the exit code is 1).
//
//   node comunica.mjs [--token T] [--destination D] SOURCE QUERY [QUERY ...]
//
// SOURCE is what Comunica is given as its source: "sparql@URL" for a SPARQL endpoint, or a bare
// URL whose kind Comunica finds out itself. --destination is where an update writes (default: the
// source); --token adds "Authorization: Bearer T" to every request Comunica sends.
import { parseArgs } from 'node:util'
import { QueryEngine } from '@comunica/query-sparql'
import { fail, print, quad, row, usage } from './terms.mjs'

const { values, positionals } = parseArgs({
  options: { token: { type: 'string' }, destination: { type: 'string' } },
  allowPositionals: true
})
if (positionals.length < 2) usage('comunica.mjs [--token T] [--destination D] SOURCE QUERY [QUERY ...]')
const [source, ...queries] = positionals

// "TYPE@URL", as Comunica's command line takes it, is {type, value} in its JavaScript API.
function typed (text) {
  const match = /^([a-zA-Z]+)@(https?:.*)$/.exec(text)
  return match ? { type: match[1], value: match[2] } : text
}

const context = { sources: [typed(source)], lenient: false }
if (values.destination) context.destination = typed(values.destination)
if (values.token) {
  context.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('Authorization', `Bearer ${values.token}`)
    return fetch(input, { ...init, headers })
  }
}

async function run (engine, query) {
  const result = await engine.query(query, context)
  switch (result.resultType) {
    case 'bindings': {
      const metadata = await result.metadata()
      const stream = await result.execute()
      const rows = (await stream.toArray()).map(bindings => row([...bindings].map(([v, t]) => [v.value, t])))
      return { type: 'bindings', variables: metadata.variables.map(v => (v.variable ?? v).value), rows }
    }
    case 'quads': {
      const stream = await result.execute()
      return { type: 'quads', quads: (await stream.toArray()).map(quad) }
    }
    case 'boolean':
      return { type: 'boolean', value: await result.execute() }
    case 'void':
      await result.execute()
      return { type: 'void' }
    default:
      throw new Error(`unknown result type ${result.resultType}`)
  }
}

// One engine for all (making one takes a second), with nothing cached from one query to the next.
const engine = new QueryEngine()
for (const query of queries) {
  await engine.invalidateHttpCache()
  try {
    print(await run(engine, query))
  } catch (error) {
    fail(error)
  }
}
