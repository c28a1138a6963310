/**
 * The defaults of the installed Calico CRD schemas. The API server fills a missing field that has
 * a `default` in the CRD's structural schema when it stores an object (Kubernetes "Defaulting" of
 * custom resources), so an object written from an archive reads back with fields the archive never
 * had (an IPPool gains `assignmentMode: Automatic`). Comparisons apply the same defaults to the
 * archived object first; a field the schema *prunes* still shows up as a difference.
 */
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import { KINDS } from '../../model/kinds.js';
import type { CalicoResource } from '../../model/resource.js';
import type { CrdMode } from '../datastore.js';
import { crdPathsFor } from './crd-paths.js';
import type { KubeClient } from './http-client.js';

/** Fills schema defaults into a copy of a canonical object. */
export type Defaulter = (resource: CalicoResource) => CalicoResource;

/**
 * Reads the `spec` schema of every Calico CRD of `mode` from the API server. CRDs that cannot be
 * read (no RBAC access to customresourcedefinitions) are simply not defaulted.
 */
export async function loadCrdDefaulter(client: KubeClient, mode: CrdMode): Promise<Defaulter> {
  const schemas = new Map<string, JsonObject>();
  for (const kind of KINDS.filter((row) => row.kdd.type === 'crd')) {
    const paths = crdPathsFor(kind, mode);
    let crd: JsonValue | undefined;
    try {
      crd = await client.read(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${paths.plural}.${paths.group}`,
      );
    } catch {
      continue;
    }
    const spec = findSpecSchema(crd, paths.version);
    if (spec) schemas.set(kind.kind, spec);
  }
  return (resource) => {
    const schema = schemas.get(resource.kind);
    if (!schema || !isJsonObject(resource.spec)) return resource;
    return {
      ...resource,
      spec: applyDefaults(structuredClone(resource.spec), schema) as JsonObject,
    };
  };
}

function findSpecSchema(crd: JsonValue | undefined, version: string): JsonObject | undefined {
  const versions =
    isJsonObject(crd) && isJsonObject(crd.spec) && Array.isArray(crd.spec.versions)
      ? crd.spec.versions
      : [];
  const served = versions.find((entry) => isJsonObject(entry) && entry.name === version);
  const schema =
    isJsonObject(served) && isJsonObject(served.schema) ? served.schema.openAPIV3Schema : undefined;
  const properties =
    isJsonObject(schema) && isJsonObject(schema.properties) ? schema.properties : undefined;
  return properties && isJsonObject(properties.spec) ? properties.spec : undefined;
}

/** Structural-schema defaulting: missing properties with a `default` are set, recursively. */
export function applyDefaults(value: JsonValue, schema: JsonObject): JsonValue {
  if (Array.isArray(value)) {
    return isJsonObject(schema.items)
      ? value.map((item) => applyDefaults(item, schema.items as JsonObject))
      : value;
  }
  if (!isJsonObject(value)) return value;
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, child] of Object.entries(properties)) {
    if (!isJsonObject(child)) continue;
    if (value[name] === undefined && child.default !== undefined)
      value[name] = structuredClone(child.default);
    if (value[name] !== undefined) value[name] = applyDefaults(value[name]!, child);
  }
  if (isJsonObject(schema.additionalProperties)) {
    for (const [name, child] of Object.entries(value)) {
      if (!(name in properties) && child !== undefined)
        value[name] = applyDefaults(child, schema.additionalProperties);
    }
  }
  return value;
}
