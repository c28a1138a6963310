/** Shared by the IPAM codecs: building canonical IPAM objects and reading their spec. */
import { InvalidObjectError } from '../../../model/errors.js';
import type { JsonObject } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
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
