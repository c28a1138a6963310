/**
 * The IPAM kinds in KDD: IPAMBlock, BlockAffinity, IPAMHandle and IPAMConfiguration custom
 * resources, read into and written from their canonical forms (docs/canonical-form.md, IPAM).
 * Sources: libcalico-go/lib/backend/k8s/resources/{ipam_block.go, ipam_handle.go,
 * ipam_affinity_v1.go, ipam_affinity_v3.go, ipam_config_v1.go, ipam_config_v3.go},
 * libcalico-go/lib/apis/internalapi/*.go and api/pkg/apis/projectcalico/v3/*.go (JSON field names).
 */
import { canonicalCidr, parseCidr } from '../../model/cidr.js';
import {
  blockAffinityLabels,
  blockAffinityName,
  cidrToName,
  ipamHandleName,
  LABEL_AFFINITY_TYPE,
  LABEL_HOSTNAME_HASH,
  LABEL_IP_VERSION,
} from '../../model/ipam-names.js';
import type { JsonObject, JsonValue } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import type { CalicoResource } from '../../model/resource.js';
import type { CrdMode } from '../datastore.js';
import { parseGoBool } from './go-json.js';

/** The kinds this module converts. */
export const IPAM_KINDS: ReadonlySet<string> = new Set([
  'IPAMBlock',
  'BlockAffinity',
  'IPAMHandle',
  'IPAMConfiguration',
]);

/** The labels Calico computes for every BlockAffinity (model/block_affinity.go EnsureBlockAffinityLabels). */
const COMPUTED_AFFINITY_LABELS = [LABEL_HOSTNAME_HASH, LABEL_AFFINITY_TYPE, LABEL_IP_VERSION];

/** Outcome of canonicalising an IPAM object read from KDD. */
export type IpamReadOutcome =
  | { type: 'resource'; resource: CalicoResource }
  | { type: 'skip'; reason: string }
  | { type: 'invalid'; reason: string };

/**
 * Brings an IPAM object (metadata already converted, spec as stored) into canonical form: names
 * derived from the spec, CIDRs in canonical text, `deleted` as a boolean, and soft-deleted objects
 * skipped, as Calico's readers skip them (ipam_block.go / ipam_handle.go Get, ipam_affinity_v1.go
 * List). Objects Calico cannot parse (bad CIDR, bad `deleted` string) are `invalid`.
 */
export function canonicalizeIpamRead(resource: CalicoResource): IpamReadOutcome {
  if (!isJsonObject(resource.spec))
    return { type: 'invalid', reason: 'spec is missing or not an object' };
  switch (resource.kind) {
    case 'IPAMBlock':
      return readBlock(resource, resource.spec);
    case 'BlockAffinity':
      return readAffinity(resource, resource.spec);
    case 'IPAMHandle':
      return readHandle(resource, resource.spec);
    default:
      return readConfig(resource, resource.spec);
  }
}

/**
 * `spec.deleted` as a boolean: a JSON boolean (blocks, handles, v3 affinities) or the string of v1
 * BlockAffinity CRs, parsed like Go's strconv.ParseBool with `""` meaning false
 * (ipam_affinity_v1.go toModelV1). `undefined` when it is neither.
 */
function readDeleted(value: JsonValue | undefined): boolean | undefined {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' ? parseGoBool(value) : undefined;
}

function withDeleted(
  resource: CalicoResource,
  spec: JsonObject,
): { spec: JsonObject } | { outcome: IpamReadOutcome } {
  const deleted = readDeleted(spec.deleted);
  if (deleted === undefined) {
    return {
      outcome: {
        type: 'invalid',
        reason: `spec.deleted is not a boolean: ${String(spec.deleted)}`,
      },
    };
  }
  if (deleted) {
    return {
      outcome: { type: 'skip', reason: `${resource.kind} is soft-deleted (spec.deleted true)` },
    };
  }
  return { spec: spec.deleted === undefined ? { ...spec } : { ...spec, deleted } };
}

function rename(resource: CalicoResource, name: string, spec: JsonObject): IpamReadOutcome {
  return {
    type: 'resource',
    resource: { ...resource, metadata: { ...resource.metadata, name }, spec },
  };
}

/** IPAMBlock: name = CIDRToName(spec.cidr) (ipam_block.go parseKey); `strictAffinity` always present. */
function readBlock(resource: CalicoResource, stored: JsonObject): IpamReadOutcome {
  const checked = withDeleted(resource, stored);
  if ('outcome' in checked) return checked.outcome;
  const spec = checked.spec;
  const cidr = typeof spec.cidr === 'string' ? parseCidr(spec.cidr) : undefined;
  if (!cidr) return { type: 'invalid', reason: `spec.cidr is not a CIDR: ${String(stored.cidr)}` };
  spec.cidr = canonicalCidr(spec.cidr as string)!;
  if (spec.affinity === null) delete spec.affinity;
  if (spec.affinityClaimTime === null) delete spec.affinityClaimTime;
  // Deprecated, always false, required by both CRD schemas (internalapi/ipam_block.go).
  if (spec.strictAffinity === undefined || spec.strictAffinity === null)
    spec.strictAffinity = false;
  return rename(resource, cidrToName(cidr), spec);
}

/**
 * BlockAffinity: name `<node>-<cidrname>` (ipam_affinity_v1.go parseKey), empty type read as
 * `host` (toModelV1), the three computed labels removed (writers recompute them).
 */
function readAffinity(resource: CalicoResource, stored: JsonObject): IpamReadOutcome {
  const checked = withDeleted(resource, stored);
  if ('outcome' in checked) return checked.outcome;
  const spec = checked.spec;
  const cidr = typeof spec.cidr === 'string' ? parseCidr(spec.cidr) : undefined;
  if (!cidr) return { type: 'invalid', reason: `spec.cidr is not a CIDR: ${String(stored.cidr)}` };
  if (typeof spec.node !== 'string' || spec.node === '') {
    return { type: 'invalid', reason: 'spec.node is missing' };
  }
  if (spec.type !== undefined && spec.type !== null && typeof spec.type !== 'string') {
    return { type: 'invalid', reason: 'spec.type is not a string' };
  }
  spec.cidr = canonicalCidr(spec.cidr as string)!;
  spec.type = spec.type || 'host';
  spec.deleted = false;
  const result = rename(resource, blockAffinityName(spec.node, cidr), spec);
  if (result.type === 'resource') result.resource.metadata = withoutComputedLabels(result.resource);
  return result;
}

function withoutComputedLabels(resource: CalicoResource): CalicoResource['metadata'] {
  const metadata = { ...resource.metadata };
  const labels = { ...metadata.labels };
  for (const key of COMPUTED_AFFINITY_LABELS) delete labels[key];
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  else delete metadata.labels;
  return metadata;
}

/** IPAMHandle: name = lower-cased handle ID, `spec.handleID` keeps its case (ipam_handle.go parseKey). */
function readHandle(resource: CalicoResource, stored: JsonObject): IpamReadOutcome {
  const checked = withDeleted(resource, stored);
  if ('outcome' in checked) return checked.outcome;
  const handleId = checked.spec.handleID;
  if (typeof handleId !== 'string' || handleId === '') {
    return { type: 'invalid', reason: 'spec.handleID is missing' };
  }
  return rename(resource, ipamHandleName(handleId), checked.spec);
}

/**
 * IPAMConfiguration: `strictAffinity` and `autoAllocateBlocks` always present (Go booleans, no
 * omitempty), `maxBlocksPerHost`, `kubeVirtVMAddressPersistence`, `ipCooldownSeconds` only when
 * non-zero / non-empty (omitempty; ipam_config_v3.go ConvertFromK8s). Other fields are kept.
 */
function readConfig(resource: CalicoResource, stored: JsonObject): IpamReadOutcome {
  const spec: JsonObject = { ...stored };
  for (const field of ['strictAffinity', 'autoAllocateBlocks']) {
    const value = spec[field] ?? false;
    if (typeof value !== 'boolean')
      return { type: 'invalid', reason: `spec.${field} is not a boolean` };
    spec[field] = value;
  }
  for (const field of ['maxBlocksPerHost', 'ipCooldownSeconds']) {
    const value = spec[field];
    if (value === undefined || value === null || value === 0) delete spec[field];
    else if (typeof value !== 'number')
      return { type: 'invalid', reason: `spec.${field} is not a number` };
  }
  const persistence = spec.kubeVirtVMAddressPersistence;
  if (persistence === undefined || persistence === null || persistence === '') {
    delete spec.kubeVirtVMAddressPersistence;
  } else if (typeof persistence !== 'string') {
    return { type: 'invalid', reason: 'spec.kubeVirtVMAddressPersistence is not a string' };
  }
  return { type: 'resource', resource: { ...resource, spec } };
}

/**
 * The spec of an IPAM CR to write. Go writes the non-omitempty booleans always, so absent ones are
 * written `false`; a BlockAffinity's `deleted` is the string `"true"`/`"false"` in v1 mode
 * (internalapi/blockaffinity.go, buildCRD in ipam_affinity_v3.go) and a boolean in v3 mode, and its
 * empty type is written `host`, the type Calico's IPAM key carries.
 */
export function ipamSpecForWrite(resource: CalicoResource, mode: CrdMode): JsonObject {
  const spec: JsonObject = { ...resource.spec };
  switch (resource.kind) {
    case 'IPAMBlock':
      if (spec.affinity === null) delete spec.affinity;
      if (spec.affinityClaimTime === null) delete spec.affinityClaimTime;
      spec.strictAffinity ??= false;
      spec.deleted ??= false;
      break;
    case 'IPAMHandle':
      spec.deleted ??= false;
      break;
    case 'BlockAffinity': {
      spec.type = spec.type || 'host';
      const deleted = readDeleted(spec.deleted) ?? false;
      spec.deleted = mode === 'v1' ? String(deleted) : deleted;
      break;
    }
    default:
      spec.strictAffinity ??= false;
      spec.autoAllocateBlocks ??= false;
  }
  return spec;
}

/**
 * The labels of an IPAM CR to write: for a BlockAffinity the canonical labels plus the three
 * labels Calico's host lookups select on (model/block_affinity.go EnsureBlockAffinityLabels);
 * other kinds keep theirs.
 */
export function ipamLabelsForWrite(
  resource: CalicoResource,
  spec: JsonObject,
): Record<string, string> | undefined {
  const labels = resource.metadata.labels;
  if (resource.kind !== 'BlockAffinity') return labels;
  const computed = blockAffinityLabels({
    node: String(spec.node ?? ''),
    type: String(spec.type ?? 'host'),
    cidr: String(spec.cidr ?? ''),
  });
  return { ...labels, ...computed };
}
