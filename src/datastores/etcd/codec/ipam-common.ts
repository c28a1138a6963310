/** Shared by the IPAM codecs: building canonical IPAM objects and reading and checking their spec. */
import { InvalidObjectError } from '../../../model/errors.js';
import type { JsonObject } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import type { FieldChecks } from './json-checks.js';
import { collectExtras, findBadField } from './json-checks.js';
import type { CalicoResource } from '../../../model/resource.js';
import { CALICO_API_VERSION } from '../../../model/resource.js';

/**
 * A canonical IPAM object read from etcd: no metadata beyond `name` and the mod-revision
 * (docs/canonical-form.md, IPAM).
 */
export function ipamResource(
  kind: string,
  name: string,
  spec: JsonObject,
  resourceVersion: string,
): CalicoResource {
  return { apiVersion: CALICO_API_VERSION, kind, metadata: { name, resourceVersion }, spec };
}

/** The spec of a canonical IPAM object; InvalidObjectError when it has none. */
export function requireSpec(resource: CalicoResource): JsonObject {
  if (!isJsonObject(resource.spec)) {
    throw new InvalidObjectError(`${resource.kind} ${resource.metadata.name} has no spec`);
  }
  return resource.spec;
}

/** Throws InvalidObjectError naming `what` when a canonical spec field fails its check. */
export function checkCanonical(what: string, spec: JsonObject, checks: FieldChecks): void {
  const bad = findBadField(spec, checks);
  if (bad) throw new InvalidObjectError(`${what}: ${bad}`);
}

/**
 * The members of a canonical spec that the etcd struct does not know (kept, see `collectExtras`);
 * InvalidObjectError naming `what` when one is named like an etcd field.
 */
export function canonicalExtras(
  what: string,
  spec: JsonObject,
  known: readonly string[],
  etcdFields: readonly string[],
): JsonObject {
  const extras = collectExtras(spec, known, etcdFields);
  if (typeof extras === 'string') throw new InvalidObjectError(`${what}: ${extras}`);
  return extras;
}
