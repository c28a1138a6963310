/**
 * The policy-name part of the v3 resource codec: on read, the v3 name from the stored name, tier
 * and `projectcalico.org/metadata` annotation; on write, the storage name and the annotation of the
 * target's Calico version (calico-datastore-model.md §3.1, §5.1; `model/policy-names.ts`).
 */
import type { JsonObject } from '../../../model/json.js';
import { isJsonObject, parseJson } from '../../../model/json.js';
import type { PolicyNameConvention } from '../../../model/policy-names.js';
import {
  METADATA_ANNOTATION,
  readPolicyName,
  storagePolicyName,
  TIERED_POLICY_KINDS,
} from '../../../model/policy-names.js';
import { marshalGoJson } from '../../go-json.js';

/** Whether names of this kind follow the tier rules (StagedKubernetesNetworkPolicy does not). */
export function isTieredPolicyKind(kind: string): boolean {
  return TIERED_POLICY_KINDS.has(kind);
}

/** The tier of a stored policy: `spec.tier` when it is a string (empty means default). */
export function policyTier(spec: unknown): string | undefined {
  return isJsonObject(spec) && typeof spec.tier === 'string' ? spec.tier : undefined;
}

/**
 * Reads a stored policy's v3 name and removes the name annotation from `annotations` (a copy is
 * returned; `undefined` when the map ends up empty). Rule of determinePolicyName
 * (libcalico-go/lib/backend/model/keys.go at HEAD): a non-empty annotation is parsed as ObjectMeta
 * JSON and its name used, invalid JSON makes the entry unreadable (Calico skips it; we keep it
 * raw); without it, a default-tier name loses a leading `default.`. An annotation that parses but
 * has no name would give Calico an empty name; we fall back to the stored-name rule instead.
 */
export function readStoredPolicyName(
  storedName: string,
  tier: string | undefined,
  annotations: JsonObject | undefined,
): { name: string; annotations: JsonObject | undefined } | string {
  const annotation = annotations?.[METADATA_ANNOTATION];
  let annotatedName: string | undefined;
  let rest = annotations;
  if (annotation !== undefined) {
    if (typeof annotation === 'string' && annotation !== '') {
      let meta: unknown;
      try {
        meta = parseJson(annotation);
      } catch {
        return `invalid ${METADATA_ANNOTATION} annotation`;
      }
      if (!isJsonObject(meta)) return `invalid ${METADATA_ANNOTATION} annotation`;
      if (meta.name !== undefined && typeof meta.name !== 'string') {
        return `invalid name in ${METADATA_ANNOTATION} annotation`;
      }
      annotatedName = meta.name;
    }
    rest = { ...annotations };
    delete rest[METADATA_ANNOTATION];
  }
  const name = readPolicyName({ name: storedName, tier, annotatedName });
  return { name, annotations: rest && Object.keys(rest).length > 0 ? rest : undefined };
}

/**
 * The storage name and annotations of a tiered policy for a target following `convention`: the
 * annotation `{"name":"<v3 name>"}` is added from v3.30 (etcdv3.go storePolicyName, json.Marshal of
 * a map) and never present before.
 */
export function writeStoredPolicyName(
  kind: string,
  v3Name: string,
  tier: string | undefined,
  annotations: Record<string, unknown> | undefined,
  convention: PolicyNameConvention,
): { storedName: string; annotations: Record<string, unknown> | undefined } {
  const storedName = storagePolicyName({ kind, name: v3Name, tier }, convention);
  const result: Record<string, unknown> = { ...annotations };
  delete result[METADATA_ANNOTATION];
  if (convention.nameAnnotation) result[METADATA_ANNOTATION] = marshalGoJson({ name: v3Name });
  return { storedName, annotations: Object.keys(result).length > 0 ? result : undefined };
}
