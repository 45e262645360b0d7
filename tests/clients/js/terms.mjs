// RDF/JS terms written as N-Triples terms, and results as JSON: what the drivers print for
// tests/clients to read (Python parses the N-Quads lines with rdflib).

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string'
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString'

function escape (text) {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
}

export function term (t) {
  switch (t.termType) {
    case 'NamedNode':
      return `<${t.value}>`
    case 'BlankNode':
      return `_:${t.value}`
    case 'Literal': {
      const lexical = `"${escape(t.value)}"`
      if (t.language) return `${lexical}@${t.language}`
      const datatype = t.datatype?.value
      if (!datatype || datatype === XSD_STRING || datatype === RDF_LANG_STRING) return lexical
      return `${lexical}^^<${datatype}>`
    }
    case 'DefaultGraph':
      return ''
    case 'Variable':
      return `?${t.value}`
    default:
      throw new Error(`unknown term type ${t.termType}`)
  }
}

/** One N-Quads line (an N-Triples line for the default graph). */
export function quad (q) {
  const graph = term(q.graph)
  return `${term(q.subject)} ${term(q.predicate)} ${term(q.object)}${graph ? ` ${graph}` : ''} .`
}

/** A solution as {variable: N-Triples term}, unbound variables left out. */
export function row (entries) {
  const out = {}
  for (const [name, value] of entries) {
    if (value) out[name.replace(/^\?/, '')] = term(value)
  }
  return out
}

/** Print a result as one JSON line on stdout. */
export function print (result) {
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

/** Print an error as JSON on stdout, for the tests to read, and make the exit code 1. */
export function fail (error) {
  print({ error: String(error?.message ?? error), status: error?.status ?? null })
  process.exitCode = 1
}

/** Print how to call a driver and exit 2. */
export function usage (text) {
  fail(new Error(`usage: ${text}`))
  process.exit(2)
}
