/**
 * A small checker of objects against the OpenAPI v3 schema of a Calico CRD manifest (read from
 * ../shared/calico-crds): types, required fields, enums, patterns, bounds, and fields the API
 * server would prune (unknown fields are reported, because pruning would lose data silently).
 * CEL rules (x-kubernetes-validations) and formats are not evaluated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { calicoCrdsDir } from '../../../helpers/paths.js';

/** The subset of an OpenAPI v3 schema the checker understands. */
export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  nullable?: boolean;
  anyOf?: Schema[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

interface CrdManifest {
  spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
}

/** The schema of a CRD file's first (only) version. */
export function loadCrdSchema(file: string): Schema {
  const crd = load(readFileSync(join(calicoCrdsDir(), file), 'utf8')) as CrdManifest;
  return crd.spec.versions[0]!.schema.openAPIV3Schema;
}

/** Problems found, as `path: message` lines; empty when the object conforms. */
export function checkAgainstSchema(value: unknown, schema: Schema, path = ''): string[] {
  const at = path || '<root>';
  if (value === null) return schema.nullable ? [] : [`${at}: null not allowed`];
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'string' || Number.isInteger(value) ? [] : [`${at}: not int-or-string`];
  }
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${at}: ${String(value)} not in enum`);
  switch (schema.type) {
    case 'object':
      return [...problems, ...checkObject(value, schema, path)];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return [
        ...problems,
        ...value.flatMap((item, i) =>
          checkAgainstSchema(item, schema.items ?? {}, `${path}[${i}]`),
        ),
      ];
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string (${typeof value})`];
      if (schema.pattern && !goRegExp(schema.pattern).test(value))
        problems.push(`${at}: does not match ${schema.pattern}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        problems.push(`${at}: too long`);
      return problems;
    case 'integer':
      if (typeof value !== 'bigint' && !Number.isInteger(value)) return [`${at}: not an integer`];
      return [...problems, ...checkBounds(value as number | bigint, schema, at)];
    case 'number':
      if (typeof value !== 'number') return [`${at}: not a number`];
      return [...problems, ...checkBounds(value, schema, at)];
    case 'boolean':
      return typeof value === 'boolean' ? problems : [`${at}: not a boolean (${typeof value})`];
    default:
      return problems;
  }
}

/** A Go RE2 pattern as a JavaScript RegExp; RE2's inline `(?i)` becomes the `i` flag. */
function goRegExp(pattern: string): RegExp {
  return pattern.includes('(?i)')
    ? new RegExp(pattern.replaceAll('(?i)', ''), 'i')
    : new RegExp(pattern);
}

function checkBounds(value: number | bigint, schema: Schema, at: string): string[] {
  const problems: string[] = [];
  if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below minimum`);
  if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above maximum`);
  return problems;
}

function checkObject(value: unknown, schema: Schema, path: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [`${path || '<root>'}: not an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of schema.required ?? []) {
    if (record[field] === undefined) problems.push(`${path}.${field}: required`);
  }
  for (const [field, child] of Object.entries(record)) {
    if (child === undefined) continue;
    const childPath = path ? `${path}.${field}` : field;
    const childSchema = schema.properties?.[field];
    if (childSchema) problems.push(...checkAgainstSchema(child, childSchema, childPath));
    else if (typeof schema.additionalProperties === 'object') {
      problems.push(...checkAgainstSchema(child, schema.additionalProperties, childPath));
    } else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.properties) {
      problems.push(`${childPath}: unknown field (pruned by the API server)`);
    }
  }
  return problems;
}
