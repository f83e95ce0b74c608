// A small JSON Schema (2020-12) checker for the keywords /openapi.json uses, so tests can hold real
// responses to the published document. Unknown keywords fail loudly rather than pass silently.

type Schema = Record<string, unknown>

const KNOWN = new Set([
  '$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'maxItems', 'enum', 'const',
  'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format', 'default', 'description', 'examples', 'example',
])

/**
 * The problems of `value` against `schema`, as `path: message` lines; empty when it conforms.
 * `$ref`s are resolved against `root` (`#/components/schemas/Name`).
 */
export function schemaProblems(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) return [`${path}: the checker does not know keyword ${key}`]
  if (typeof schema.$ref === 'string') return schemaProblems(value, resolveRef(schema.$ref, root), root, path)
  const problems: string[] = []
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string]
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join(' or ')}, got ${JSON.stringify(value)?.slice(0, 80)}`]
  }
  if ('const' in schema && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`)
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: ${value} < ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: ${value} > ${schema.maximum}`)
  }
  if (typeof value === 'string') {
    const length = [...value].length
    if (typeof schema.minLength === 'number' && length < schema.minLength) problems.push(`${path}: shorter than ${schema.minLength}`)
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) problems.push(`${path}: longer than ${schema.maxLength}`)
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) problems.push(`${path}: more than ${schema.maxItems} items`)
    if (schema.items !== undefined) value.forEach((item, i) => problems.push(...schemaProblems(item, schema.items as Schema, root, `${path}[${i}]`)))
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = value as Record<string, unknown>
    const properties = (schema.properties ?? {}) as Record<string, Schema>
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) problems.push(`${path}: missing ${key}`)
    for (const [key, item] of Object.entries(object)) {
      if (properties[key] !== undefined) problems.push(...schemaProblems(item, properties[key], root, `${path}.${key}`))
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected property ${key}`)
    }
  }
  return problems
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null
    case 'array':
      return Array.isArray(value)
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    default:
      return typeof value === type
  }
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`)
  let at: unknown = root
  for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[part]
  if (typeof at !== 'object' || at === null) throw new Error(`unresolved $ref ${ref}`)
  return at as Schema
}

/** The schema of a response in an OpenAPI document: `GET path` answering `status` with JSON. */
export function responseSchema(document: Schema, path: string, status: number): Schema {
  const paths = document.paths as Record<string, { get: { responses: Record<string, { content?: Record<string, { schema: Schema }> }> } }>
  const schema = paths[path]?.get.responses[String(status)]?.content?.['application/json']?.schema
  if (schema === undefined) throw new Error(`the document describes no JSON ${status} for GET ${path}`)
  return schema
}
