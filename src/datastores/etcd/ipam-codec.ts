/**
 * IPAM model values in etcd (calico-datastore-model.md §2) ⇄ canonical IPAMBlock, BlockAffinity,
 * IPAMHandle and IPAMConfiguration (docs/canonical-form.md, IPAM). Go structs:
 * libcalico-go/lib/backend/model/{block,block_affinity,ipam_handle,ipam_config}.go; canonical specs:
 * api/pkg/apis/projectcalico/v3/{ipamblocks,blockaffinity,ipamhandle,ipamconfig}.go.
 */
import type { Cidr } from '../../model/cidr.js';
import { formatCidr, parseCidr } from '../../model/cidr.js';
import { InvalidObjectError, UnsupportedOperationError } from '../../model/errors.js';
import { blockAffinityName, ipamHandleName } from '../../model/ipam-names.js';
import type { JsonObject } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import type { CalicoResource } from '../../model/resource.js';
import type { Decoded, EtcdWrite } from './codec/common.js';
import { fail, parseJsonObject } from './codec/common.js';
import { GoMap, marshalGoJson } from '../go-json.js';
import { decodeBlock, encodeBlock } from './codec/ipam-block.js';
import { canonicalExtras, checkCanonical, ipamResource, requireSpec } from './codec/ipam-common.js';
import type { FieldChecks } from './codec/json-checks.js';
import {
  collectExtras,
  findBadField,
  isBoolean,
  isGoInt,
  isMapOf,
  isNullOr,
  isString,
} from './codec/json-checks.js';
import type { EtcdTarget } from './codec/target.js';
import type { AffinityType, EtcdKeyInfo } from './keys.js';
import { blockAffinityKey, IPAM_CONFIG_KEY, ipamHandleKey } from './keys.js';

/** The parsed IPAM keys this codec decodes. */
export type IpamKeyInfo = Extract<
  EtcdKeyInfo,
  { type: 'ipam-block' | 'block-affinity' | 'ipam-handle' | 'ipam-config' }
>;

/** The kinds this codec encodes. */
export const IPAM_KINDS: ReadonlySet<string> = new Set([
  'IPAMBlock',
  'BlockAffinity',
  'IPAMHandle',
  'IPAMConfiguration',
]);

/**
 * Decodes an IPAM value. An empty affinity value is read as `{}` (model/block_affinity.go
 * parseValue: affinities used to be stored without a value); any other empty or unreadable value
 * stays raw.
 */
export function decodeIpam(info: IpamKeyInfo, text: string, resourceVersion: string): Decoded {
  const source = text === '' && info.type === 'block-affinity' ? '{}' : text;
  if (source === '') return fail('empty value');
  const value = parseJsonObject(source);
  if (typeof value === 'string') return fail(value);
  switch (info.type) {
    case 'ipam-block':
      return decodeBlock(info.cidr, value, resourceVersion);
    case 'block-affinity':
      return decodeAffinity(info.affinityType, info.host, info.cidr, value, resourceVersion);
    case 'ipam-handle':
      return decodeHandle(info.handleId, value, resourceVersion);
    case 'ipam-config':
      return decodeConfig(value, resourceVersion);
  }
}

/** Encodes a canonical IPAM object as libcalico-go's IPAM code writes it. */
export function encodeIpam(resource: CalicoResource, target: EtcdTarget): EtcdWrite {
  const spec = requireSpec(resource);
  switch (resource.kind) {
    case 'IPAMBlock':
      return encodeBlock(spec, target);
    case 'BlockAffinity':
      return encodeAffinity(spec);
    case 'IPAMHandle':
      return encodeHandle(spec);
    case 'IPAMConfiguration':
      if (resource.metadata.name !== 'default') {
        throw new InvalidObjectError(
          `IPAMConfiguration must be named default, not ${resource.metadata.name}`,
        );
      }
      return encodeConfig(spec);
    default:
      throw new UnsupportedOperationError(`${resource.kind} is not an IPAM kind`);
  }
}

// Block affinities: model.BlockAffinity {state, deleted}; host, type and CIDR are in the key.

const AFFINITY_FIELDS = ['state', 'deleted'];
const AFFINITY_SPEC_FIELDS = ['state', 'node', 'type', 'cidr', 'deleted'];
const AFFINITY_CHECKS: FieldChecks = {
  state: (v) => isNullOr(v, isString),
  deleted: (v) => isNullOr(v, isBoolean),
};

/**
 * `state` is kept as stored, `""` included (a legacy empty value): KDD stores it verbatim
 * (libcalico-go/lib/backend/k8s/resources/ipam_affinity_v1.go) and ipam.go treats it like
 * confirmed, so etcd → KDD → etcd gives back `{"state":"","deleted":false}`.
 */
function decodeAffinity(
  affinityType: AffinityType,
  host: string,
  cidr: Cidr,
  value: JsonObject,
  resourceVersion: string,
): Decoded {
  const bad = findBadField(value, AFFINITY_CHECKS);
  if (bad) return fail(bad);
  const extras = collectExtras(value, AFFINITY_FIELDS, AFFINITY_SPEC_FIELDS);
  if (typeof extras === 'string') return fail(extras);
  const spec: JsonObject = {
    state: value.state ?? '',
    node: host,
    type: affinityType,
    cidr: formatCidr(cidr),
    deleted: value.deleted ?? false,
    ...extras,
  };
  return {
    ok: true,
    resource: ipamResource('BlockAffinity', blockAffinityName(host, cidr), spec, resourceVersion),
  };
}

/** Key from `spec.type` (empty: host), `spec.node`, `spec.cidr`; value `{"state":…,"deleted":…}`. */
function encodeAffinity(spec: JsonObject): EtcdWrite {
  const { node, type } = spec;
  const cidr = typeof spec.cidr === 'string' ? parseCidr(spec.cidr) : undefined;
  if (typeof node !== 'string' || node === '' || node.includes('/') || !cidr) {
    throw new InvalidObjectError(`BlockAffinity needs spec.node and a valid spec.cidr`);
  }
  if (type !== undefined && type !== '' && type !== 'host' && type !== 'virtual') {
    throw new InvalidObjectError(`BlockAffinity ${node}: unknown affinity type ${String(type)}`);
  }
  checkCanonical('BlockAffinity', spec, AFFINITY_CHECKS);
  const extras = canonicalExtras('BlockAffinity', spec, AFFINITY_SPEC_FIELDS, AFFINITY_FIELDS);
  const value = { state: spec.state ?? '', deleted: spec.deleted ?? false, ...extras };
  return { key: blockAffinityKey(type ?? '', node, cidr), value: marshalGoJson(value) };
}

// Handles: model.IPAMHandle {block, deleted}; the handle ID is only in the key.

const HANDLE_FIELDS = ['block', 'deleted'];
const HANDLE_SPEC_FIELDS = ['handleID', 'block', 'deleted'];
const HANDLE_CHECKS: FieldChecks = {
  block: (v) => isNullOr(v, (m) => isMapOf(m, isGoInt)),
  deleted: (v) => isNullOr(v, isBoolean),
};

function decodeHandle(handleId: string, value: JsonObject, resourceVersion: string): Decoded {
  const bad = findBadField(value, HANDLE_CHECKS);
  if (bad) return fail(bad);
  const extras = collectExtras(value, HANDLE_FIELDS, HANDLE_SPEC_FIELDS);
  if (typeof extras === 'string') return fail(extras);
  const spec: JsonObject = {
    handleID: handleId,
    block: value.block ?? null,
    deleted: value.deleted ?? false,
    ...extras,
  };
  return {
    ok: true,
    resource: ipamResource('IPAMHandle', ipamHandleName(handleId), spec, resourceVersion),
  };
}

/** Key from `spec.handleID` (original case; the object name is lower-cased). */
function encodeHandle(spec: JsonObject): EtcdWrite {
  const id = spec.handleID;
  if (typeof id !== 'string' || id === '' || id.includes('/')) {
    throw new InvalidObjectError(`IPAMHandle has an invalid spec.handleID: ${String(id)}`);
  }
  checkCanonical('IPAMHandle', spec, HANDLE_CHECKS);
  const extras = canonicalExtras('IPAMHandle', spec, HANDLE_SPEC_FIELDS, HANDLE_FIELDS);
  const value = {
    block: isJsonObject(spec.block) ? GoMap.of(spec.block) : null,
    deleted: spec.deleted ?? false,
    ...extras,
  };
  return { key: ipamHandleKey(id), value: marshalGoJson(value) };
}

// IPAM configuration: model.IPAMConfig, every field omitempty (missing boolean = false).

const CONFIG_FIELDS = [
  'strict_affinity',
  'auto_allocate_blocks',
  'maxBlocksPerHost',
  'kubeVirtVMAddressPersistence',
  'ipCooldownSeconds',
];
const CONFIG_SPEC_FIELDS = [
  'strictAffinity',
  'maxBlocksPerHost',
  'autoAllocateBlocks',
  'kubeVirtVMAddressPersistence',
  'ipCooldownSeconds',
];
const CONFIG_CHECKS: FieldChecks = {
  strict_affinity: (v) => isNullOr(v, isBoolean),
  auto_allocate_blocks: (v) => isNullOr(v, isBoolean),
  maxBlocksPerHost: (v) => isNullOr(v, isGoInt),
  kubeVirtVMAddressPersistence: (v) => isNullOr(v, isString),
  ipCooldownSeconds: (v) => isNullOr(v, isGoInt),
};

/** The same checks under the canonical field names. */
const CONFIG_SPEC_CHECKS: FieldChecks = {
  strictAffinity: CONFIG_CHECKS.strict_affinity!,
  autoAllocateBlocks: CONFIG_CHECKS.auto_allocate_blocks!,
  maxBlocksPerHost: CONFIG_CHECKS.maxBlocksPerHost!,
  kubeVirtVMAddressPersistence: CONFIG_CHECKS.kubeVirtVMAddressPersistence!,
  ipCooldownSeconds: CONFIG_CHECKS.ipCooldownSeconds!,
};

/** snake_case → camelCase in IPAMConfigurationSpec order; zero values of optional fields omitted. */
function decodeConfig(value: JsonObject, resourceVersion: string): Decoded {
  const bad = findBadField(value, CONFIG_CHECKS);
  if (bad) return fail(bad);
  const extras = collectExtras(value, CONFIG_FIELDS, CONFIG_SPEC_FIELDS);
  if (typeof extras === 'string') return fail(extras);
  const spec: JsonObject = {
    strictAffinity: value.strict_affinity ?? false,
    maxBlocksPerHost: nonZero(value.maxBlocksPerHost),
    autoAllocateBlocks: value.auto_allocate_blocks ?? false,
    kubeVirtVMAddressPersistence: value.kubeVirtVMAddressPersistence || undefined,
    ipCooldownSeconds: nonZero(value.ipCooldownSeconds),
    ...extras,
  };
  for (const field of Object.keys(spec)) if (spec[field] === undefined) delete spec[field];
  return {
    ok: true,
    resource: ipamResource('IPAMConfiguration', 'default', spec, resourceVersion),
  };
}

/** Go field order and omitempty: false, 0 and "" are not written. */
function encodeConfig(spec: JsonObject): EtcdWrite {
  checkCanonical('IPAMConfiguration', spec, CONFIG_SPEC_CHECKS);
  const extras = canonicalExtras('IPAMConfiguration', spec, CONFIG_SPEC_FIELDS, CONFIG_FIELDS);
  const value = {
    strict_affinity: spec.strictAffinity || undefined,
    auto_allocate_blocks: spec.autoAllocateBlocks || undefined,
    maxBlocksPerHost: nonZero(spec.maxBlocksPerHost),
    kubeVirtVMAddressPersistence: spec.kubeVirtVMAddressPersistence || undefined,
    ipCooldownSeconds: nonZero(spec.ipCooldownSeconds),
    ...extras,
  };
  return { key: IPAM_CONFIG_KEY, value: marshalGoJson(value) };
}

function nonZero(value: unknown): number | bigint | undefined {
  return (typeof value === 'number' || typeof value === 'bigint') && value !== 0 && value !== 0n
    ? value
    : undefined;
}
