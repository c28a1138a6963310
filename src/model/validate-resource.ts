/**
 * Checks a canonical object before it is written: the fields that Calico's own validation would
 * refuse and that would break the datastore if written behind its back (an etcd target has no
 * schema; a KDD target refuses them only one write at a time, after the rest went in). Conservative
 * on purpose: only rules from Calico's API types and validator, no defaults, nothing Calico accepts.
 */
import type { Cidr } from './cidr.js';
import { parseCidrOrIp } from './cidr.js';
import type { JsonObject, JsonValue } from './json.js';
import type { CalicoResource } from './resource.js';

/** A field-level problem: the path and what is wrong there. */
export interface InvalidField {
  path: string;
  problem: string;
}

type FieldCheck = (spec: JsonObject, report: (path: string, problem: string) => void) => void;

/** Per-kind checks of `spec`, each citing the Calico rule it mirrors. */
const SPEC_CHECKS: Record<string, FieldCheck[]> = {
  // libcalico-go/lib/validator/v3/validator.go validateIPPoolSpec: CIDR required, parsable
  // (ParseCIDROrIP) and strictly masked; api/pkg/apis/projectcalico/v3/ippool.go: blockSize 0-128.
  IPPool: [
    (spec, report) => {
      if (spec.cidr === undefined) report('spec.cidr', 'is required');
      else checkNetwork(spec.cidr, 'spec.cidr', report, { strict: true });
      checkInteger(spec.blockSize, 'spec.blockSize', report, 0, 128);
    },
  ],
  // api/pkg/apis/projectcalico/v3/ipreservation.go: reservedCIDRs `validate:"cidrs"`.
  IPReservation: [
    (spec, report) => checkNetworks(spec.reservedCIDRs, 'spec.reservedCIDRs', report),
  ],
  // api/pkg/apis/projectcalico/v3/globalnetworkset.go, networkset.go: nets `dive,cidr`.
  GlobalNetworkSet: [(spec, report) => checkNetworks(spec.nets, 'spec.nets', report)],
  NetworkSet: [(spec, report) => checkNetworks(spec.nets, 'spec.nets', report)],
  // api/pkg/apis/projectcalico/v3/hostendpoint.go: expectedIPs `dive,ip`.
  HostEndpoint: [(spec, report) => checkNetworks(spec.expectedIPs, 'spec.expectedIPs', report)],
  // libcalico-go/lib/backend/model/block.go (AllocationBlock): CIDR, allocations []*int,
  // unallocated []int; Calico parses the CIDR to find the block key.
  IPAMBlock: [
    (spec, report) => {
      checkNetwork(spec.cidr, 'spec.cidr', report, { strict: true });
      checkIntegerList(spec.allocations, 'spec.allocations', report, { nulls: true });
      checkIntegerList(spec.unallocated, 'spec.unallocated', report, { nulls: false });
    },
  ],
  // libcalico-go/lib/backend/model/block_affinity.go: the affinity key is host + CIDR.
  BlockAffinity: [
    (spec, report) => {
      checkNetwork(spec.cidr, 'spec.cidr', report, { strict: true });
      if (typeof spec.node !== 'string' || spec.node === '') report('spec.node', 'is required');
    },
  ],
  // libcalico-go/lib/backend/model/ipam_handle.go: block is map[string]int.
  IPAMHandle: [
    (spec, report) => {
      const blocks = spec.block;
      if (blocks === undefined) return;
      if (!isObject(blocks)) return report('spec.block', 'must be a map of block CIDR to count');
      for (const [cidr, count] of Object.entries(blocks))
        checkInteger(count, `spec.block[${cidr}]`, report, 0);
    },
  ],
  // libcalico-go/lib/backend/k8s/resources/node.go and validator.go: BGP addresses are IP networks.
  Node: [
    (spec, report) => {
      if (!isObject(spec.bgp)) return;
      for (const field of ['ipv4Address', 'ipv6Address'])
        if (spec.bgp[field] !== undefined && spec.bgp[field] !== '')
          checkNetwork(spec.bgp[field], `spec.bgp.${field}`, report, { strict: false });
    },
  ],
};

/** Every problem of one object; empty when it may be written. */
export function findInvalidFields(resource: CalicoResource): InvalidField[] {
  const problems: InvalidField[] = [];
  const report = (path: string, problem: string) => problems.push({ path, problem });
  // k8s.io/apimachinery ObjectMeta: labels and annotations are map[string]string.
  for (const field of ['labels', 'annotations'] as const)
    checkStringMap(resource.metadata[field], `metadata.${field}`, report);
  if (resource.spec === undefined) return problems;
  if (!isObject(resource.spec)) {
    report('spec', 'must be an object');
    return problems;
  }
  for (const check of SPEC_CHECKS[resource.kind] ?? []) check(resource.spec, report);
  return problems;
}

/** `path problem; path problem` for a one-line message. */
export function describeInvalidFields(problems: InvalidField[]): string {
  return problems.map(({ path, problem }) => `${path} ${problem}`).join('; ');
}

function checkNetworks(
  value: JsonValue | undefined,
  path: string,
  report: (path: string, problem: string) => void,
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) return report(path, 'must be a list of CIDRs');
  value.forEach((item, i) => checkNetwork(item, `${path}[${i}]`, report, { strict: false }));
}

/** ParseCIDROrIP (libcalico-go/lib/net/ipnet.go); `strict` also refuses host bits. */
function checkNetwork(
  value: JsonValue | undefined,
  path: string,
  report: (path: string, problem: string) => void,
  { strict }: { strict: boolean },
): void {
  if (typeof value !== 'string') return report(path, `must be a CIDR, not ${describe(value)}`);
  const network = parseCidrOrIp(value);
  if (!network) return report(path, `${JSON.stringify(value)} is not a CIDR or IP address`);
  if (strict && !isMasked(value, network))
    report(path, `${JSON.stringify(value)} has host bits set (not strictly masked)`);
}

/** Whether the address of CIDR text (parsed and masked as `network`) has no host bits set. */
function isMasked(text: string, network: Cidr): boolean {
  const address = parseCidrOrIp(text.split('/')[0]!)!;
  return address.bytes.every((byte, i) => byte === network.bytes[i]);
}

function checkInteger(
  value: JsonValue | undefined,
  path: string,
  report: (path: string, problem: string) => void,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    report(
      path,
      `must be an integer from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not ${describe(value)}`,
    );
}

function checkIntegerList(
  value: JsonValue | undefined,
  path: string,
  report: (path: string, problem: string) => void,
  { nulls }: { nulls: boolean },
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) return report(path, 'must be a list');
  const bad = value.findIndex((item) => !(item === null ? nulls : Number.isInteger(item)));
  if (bad >= 0)
    report(
      `${path}[${bad}]`,
      `must be an integer${nulls ? ' or null' : ''}, not ${describe(value[bad])}`,
    );
}

function checkStringMap(
  value: JsonValue | undefined,
  path: string,
  report: (path: string, problem: string) => void,
): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) return report(path, 'must be a map of strings');
  for (const [key, item] of Object.entries(value))
    if (typeof item !== 'string')
      report(`${path}[${key}]`, `must be a string, not ${describe(item)}`);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).slice(
    0,
    60,
  );
}
