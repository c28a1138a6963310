/**
 * IPAM blocks: etcd `model.AllocationBlock` JSON ⇄ canonical IPAMBlock (calico-datastore-model.md
 * §2.2-§2.6, docs/canonical-form.md). Field names and order are those of
 * libcalico-go/lib/backend/model/block.go (AllocationBlock, AllocationAttribute) at the tags;
 * the canonical spec follows api/pkg/apis/projectcalico/v3/ipamblocks.go IPAMBlockSpec.
 */
import type { Cidr } from '../../../model/cidr.js';
import { formatCidr, parseCidr, parseCidrOrIp } from '../../../model/cidr.js';
import { InvalidObjectError } from '../../../model/errors.js';
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import { cidrToName } from '../../../model/ipam-names.js';
import type { Decoded, EtcdWrite } from './common.js';
import { fail } from './common.js';
import { GoMap, marshalGoJson } from '../../go-json.js';
import { canonicalExtras, checkCanonical, ipamResource } from './ipam-common.js';
import type { FieldChecks } from './json-checks.js';
import {
  collectExtras,
  findBadField,
  isArrayOf,
  isBoolean,
  isGoInt,
  isGoTime,
  isGoUint64,
  isMapOf,
  isNullOr,
  isString,
  isStringMap,
} from './json-checks.js';
import type { AttributeFormat, EtcdTarget } from './target.js';
import { blockKey } from '../keys.js';

/** AllocationBlock JSON fields in Go declaration order (`hostAffinity`: deprecated, never written). */
const ETCD_FIELDS = [
  'cidr',
  'affinity',
  'affinity_claim_time',
  'allocations',
  'unallocated',
  'attributes',
  'sequenceNumber',
  'sequenceNumberForAllocation',
  'deleted',
  'hostAffinity',
];

/** IPAMBlockSpec fields in Go declaration order. */
const CANONICAL_FIELDS = [
  'cidr',
  'affinity',
  'affinityClaimTime',
  'allocations',
  'unallocated',
  'attributes',
  'sequenceNumber',
  'sequenceNumberForAllocation',
  'deleted',
  'strictAffinity',
];

/** AllocationAttribute JSON fields in Go declaration order (v3.32+; v3.31 and earlier: first two). */
const ATTRIBUTE_FIELDS = ['handle_id', 'secondary', 'alternateOwnerAttrs', 'releasedAt'];

const isAttribute = (v: unknown): boolean =>
  isJsonObject(v) &&
  findBadField(v, {
    handle_id: (x) => isNullOr(x, isString),
    secondary: (x) => isNullOr(x, isStringMap),
    alternateOwnerAttrs: (x) => isNullOr(x, isStringMap),
    releasedAt: (x) => isNullOr(x, isGoTime),
  }) === undefined;

/** What Go's json.Unmarshal into AllocationBlock accepts (absent and null give zero values). */
const BLOCK_CHECKS: FieldChecks = {
  cidr: (v) => typeof v === 'string',
  affinity: (v) => isNullOr(v, isString),
  affinity_claim_time: (v) => isNullOr(v, isGoTime),
  allocations: (v) => isNullOr(v, (a) => isArrayOf(a, (x) => x === null || isGoInt(x))),
  unallocated: (v) => isNullOr(v, (a) => isArrayOf(a, isGoInt)),
  attributes: (v) => isNullOr(v, (a) => isArrayOf(a, isAttribute)),
  sequenceNumber: (v) => isNullOr(v, isGoUint64),
  sequenceNumberForAllocation: (v) => isNullOr(v, (m) => isMapOf(m, isGoUint64)),
  deleted: (v) => isNullOr(v, isBoolean),
  hostAffinity: (v) => isNullOr(v, isString),
};

/**
 * Decodes a block value. The CIDR comes from the key, as Calico's KDD conversion takes it
 * (libcalico-go/lib/backend/k8s/resources/ipam_block.go); a value whose `cidr` is a different
 * network stays raw. `affinity: null` and an unset claim time are omitted, `strictAffinity` is
 * `false`, `hostAffinity` is dropped; in attributes a `null` member means unset (Go pointer/map)
 * and is omitted, so blocks written by v3.31 (`"secondary":null`) and v3.32 (omitted) agree.
 */
export function decodeBlock(cidr: Cidr, value: JsonObject, resourceVersion: string): Decoded {
  const bad = findBadField(value, BLOCK_CHECKS);
  if (bad) return fail(bad);
  const cidrText = formatCidr(cidr);
  const valueCidr = value.cidr as string;
  // net.IPNet's UnmarshalJSON also takes a bare address.
  const valueNetwork = parseCidrOrIp(valueCidr);
  if (!valueNetwork || formatCidr(valueNetwork) !== cidrText)
    return fail(`block cidr ${valueCidr} does not match the key`);
  const extras = collectExtras(value, ETCD_FIELDS, CANONICAL_FIELDS);
  if (typeof extras === 'string') return fail(extras);
  const spec: JsonObject = { cidr: cidrText };
  if (typeof value.affinity === 'string') spec.affinity = value.affinity;
  if (typeof value.affinity_claim_time === 'string')
    spec.affinityClaimTime = value.affinity_claim_time;
  spec.allocations = value.allocations ?? null;
  spec.unallocated = value.unallocated ?? null;
  spec.attributes = Array.isArray(value.attributes)
    ? value.attributes.map((a) => dropNullMembers(a as JsonObject))
    : null;
  spec.sequenceNumber = value.sequenceNumber ?? 0;
  spec.sequenceNumberForAllocation = value.sequenceNumberForAllocation ?? null;
  spec.deleted = value.deleted ?? false;
  spec.strictAffinity = false;
  return {
    ok: true,
    resource: ipamResource('IPAMBlock', cidrToName(cidr), { ...spec, ...extras }, resourceVersion),
  };
}

function dropNullMembers(attribute: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [field, member] of Object.entries(attribute))
    if (member !== null) result[field] = member;
  return result;
}

/**
 * Encodes a canonical IPAMBlock as `model.AllocationBlock` JSON: Go field order, `affinity` null
 * when absent, `affinity_claim_time` omitted when unset, `hostAffinity` and `strictAffinity` never
 * written, maps sorted, attributes in the target version's format.
 */
export function encodeBlock(spec: JsonObject, target: EtcdTarget): EtcdWrite {
  const cidr = typeof spec.cidr === 'string' ? parseCidr(spec.cidr) : undefined;
  if (!cidr)
    throw new InvalidObjectError(`IPAMBlock has an invalid spec.cidr: ${String(spec.cidr)}`);
  const cidrText = formatCidr(cidr);
  checkCanonical(`IPAMBlock ${cidrText}`, spec, CANONICAL_CHECKS);
  const extras = canonicalExtras(`IPAMBlock ${cidrText}`, spec, CANONICAL_FIELDS, ETCD_FIELDS);
  const sequences = spec.sequenceNumberForAllocation;
  const value = {
    cidr: cidrText,
    affinity: spec.affinity ?? null,
    affinity_claim_time: spec.affinityClaimTime ?? undefined,
    allocations: spec.allocations ?? null,
    unallocated: spec.unallocated ?? null,
    attributes: Array.isArray(spec.attributes)
      ? spec.attributes.map((a) => encodeAttribute(a as JsonObject, target.attributeFormat))
      : null,
    sequenceNumber: spec.sequenceNumber ?? 0,
    sequenceNumberForAllocation: isJsonObject(sequences) ? GoMap.of(sequences) : null,
    deleted: spec.deleted ?? false,
    ...extras,
  };
  return { key: blockKey(cidr), value: marshalGoJson(value) };
}

const CANONICAL_CHECKS: FieldChecks = {
  ...BLOCK_CHECKS,
  affinityClaimTime: BLOCK_CHECKS.affinity_claim_time!,
  strictAffinity: (v) => isNullOr(v, isBoolean),
};

/**
 * One allocation attribute. `legacy` (v3.31 and earlier): `handle_id` and `secondary` always
 * written (`null` when unset); `omitempty` (v3.32+): each known field omitted when unset, maps also
 * when empty. Fields the target version does not know are kept, after the known ones.
 */
function encodeAttribute(
  attribute: JsonObject,
  format: AttributeFormat,
): JsonObject | Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const map = (v: JsonValue | undefined): GoMap | undefined =>
    isJsonObject(v) && (format === 'legacy' || Object.keys(v).length > 0) ? GoMap.of(v) : undefined;
  result.handle_id = attribute.handle_id ?? (format === 'legacy' ? null : undefined);
  result.secondary = map(attribute.secondary) ?? (format === 'legacy' ? null : undefined);
  result.alternateOwnerAttrs = map(attribute.alternateOwnerAttrs);
  result.releasedAt = attribute.releasedAt ?? undefined;
  for (const [field, member] of Object.entries(attribute)) {
    if (!ATTRIBUTE_FIELDS.includes(field)) result[field] = member;
  }
  return result;
}
