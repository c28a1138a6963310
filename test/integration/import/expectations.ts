/**
 * What a target must hold after an archive is imported into it, object by object, and the only
 * differences allowed between an archived object and the same object exported from the target
 * again:
 * - what the target cannot hold: into KDD, derived objects, user-created Profiles, Calico nodes
 *   without a Kubernetes Node, soft-deleted IPAM objects and raw entries (each must be reported as
 *   skipped, with a reason); into etcd, metadata of IPAM objects (etcd's IPAM model has none);
 * - recorded facts in KDD (uid, creationTimestamp: the API server assigns its own);
 * - the defaults the API server fills in from the CRD schemas (applied to the archived object).
 */
import assert from 'node:assert/strict';
import type { Defaulter } from '../../../src/datastores/kdd/crd-defaults.js';
import { applyDefaults } from '../../../src/datastores/kdd/crd-defaults.js';
import type { JsonObject } from '../../../src/model/json.js';
import { isJsonObject } from '../../../src/model/json.js';
import { findKind, KINDS } from '../../../src/model/kinds.js';
import { stripForComparison, stripServerManaged } from '../../../src/model/normalize.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import type { CrdMode } from '../../fixtures/dataset/index.js';
import type { KubeApi } from '../../helpers/seed-kdd.js';
import type { ArchiveContents } from '../export/support.js';
import type { ReportBodyJson } from './support.js';
import { identityOfListed } from './support.js';

/** Where the archive goes. */
export type TargetType = 'etcd' | 'kdd';

/** What the target must hold, and what it must have reported as not restorable (and why). */
export interface TargetExpectation {
  /** Identity -> the archived object in the form the target's export must show it. */
  held: Map<string, CalicoResource>;
  /** Identity -> what the skip reason must say. */
  notHeld: Map<string, RegExp>;
}

/** Options of `expectTarget`. */
export interface ExpectOptions {
  /** The Kubernetes Nodes the KDD target has (Calico nodes can only live on those). */
  kubernetesNodes?: readonly string[];
  /** The CRD schema defaults of the KDD target. */
  defaults?: Defaulter;
  /** Whether status was restored (KDD: `--restore-status`). */
  restoreStatus?: boolean;
}

/** Splits an archive's objects into what `target` holds after the import and what it cannot. */
export function expectTarget(
  source: ArchiveContents,
  target: TargetType,
  options: ExpectOptions = {},
): TargetExpectation {
  const held = new Map<string, CalicoResource>();
  const notHeld = new Map<string, RegExp>();
  for (const [identity, object] of source.objects) {
    if (target === 'etcd') {
      held.set(identity, forEtcd(object));
      continue;
    }
    const why = whyKddCannotHold(object, source.records.get(identity)?.derived === true, options);
    if (why) notHeld.set(identity, why);
    else held.set(identity, forKdd(object, options));
  }
  return { held, notHeld };
}

function whyKddCannotHold(
  object: CalicoResource,
  derived: boolean,
  options: ExpectOptions,
): RegExp | undefined {
  if (derived) return /derive/;
  if (object.kind === 'Profile') return /KDD cannot store user-created profiles/;
  if (object.kind === 'Node' && !options.kubernetesNodes?.includes(object.metadata.name))
    return /not restorable: no Kubernetes Node named/;
  if (findKind(object.kind)?.etcd.type === 'ipam' && object.spec?.deleted === true)
    return /soft-deleted/;
  return undefined;
}

/** etcd keeps every object as written, except IPAM metadata (the IPAM model JSON has none). */
function forEtcd(object: CalicoResource): CalicoResource {
  const stripped = stripServerManaged(object);
  if (findKind(object.kind)?.etcd.type === 'ipam')
    return { ...stripped, metadata: { name: object.metadata.name } };
  return stripped;
}

/** KDD assigns its own uid and creationTimestamp and fills schema defaults; status on request. */
function forKdd(object: CalicoResource, options: ExpectOptions): CalicoResource {
  const defaulted = options.defaults ? options.defaults(object) : object;
  const form = stripForComparison(defaulted);
  if (!options.restoreStatus && object.kind !== 'Node' && form.status !== undefined) {
    const { status: _status, ...rest } = form;
    return rest;
  }
  return form;
}

/** An exported object of the target in the form `expectTarget` gives its expectations. */
export function comparableFromTarget(object: CalicoResource, target: TargetType): CalicoResource {
  return target === 'etcd' ? stripServerManaged(object) : stripForComparison(object);
}

/**
 * Checks that the target's export holds every expected object exactly (in comparable form) and,
 * for KDD, nothing else that is not derived by the target itself.
 */
export function assertTargetHolds(
  expectation: TargetExpectation,
  targetExport: ArchiveContents,
  target: TargetType,
): void {
  const actual = new Map<string, CalicoResource>();
  for (const [identity, object] of targetExport.objects) {
    // KDD derives objects from the cluster's own Namespaces, ServiceAccounts and Pods.
    if (target === 'kdd' && targetExport.records.get(identity)?.derived) continue;
    actual.set(identity, comparableFromTarget(object, target));
  }
  const missing = [...expectation.held.keys()].filter((id) => !actual.has(id)).sort();
  const unexpected = [...actual.keys()].filter((id) => !expectation.held.has(id)).sort();
  assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] }, 'object sets');
  for (const [identity, expected] of expectation.held)
    assert.deepStrictEqual(actual.get(identity), expected, identity);
}

/**
 * Checks that the import reported every object the target cannot hold as skipped with the right
 * reason, and skipped nothing else.
 */
export function assertSkipsReported(expectation: TargetExpectation, body: ReportBodyJson): void {
  const skips = new Map(body.skips.map((item) => [identityOfListed(item), item.reason]));
  assert.deepEqual(
    [...skips.keys()].sort(),
    [...expectation.notHeld.keys()].sort(),
    'exactly the objects the target cannot hold are skipped',
  );
  for (const [identity, pattern] of expectation.notHeld)
    assert.match(skips.get(identity) ?? '', pattern, identity);
}

/**
 * The defaults of the Calico CRD schemas a KDD apiserver serves (read with the admin client),
 * applied to `spec` as the API server applies them when it stores an object.
 */
export async function loadSchemaDefaults(api: KubeApi, mode: CrdMode): Promise<Defaulter> {
  const schemas = new Map<string, JsonObject>();
  for (const kind of KINDS) {
    if (kind.kdd.type !== 'crd') continue;
    const name =
      mode === 'v1'
        ? `${kind.kdd.v1Plural}.crd.projectcalico.org`
        : `${kind.plural}.projectcalico.org`;
    const { body } = await api.send(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    const versions = isJsonObject(body) && isJsonObject(body.spec) ? body.spec.versions : [];
    const served = (Array.isArray(versions) ? versions : []).find(
      (version) => isJsonObject(version) && version.name === (mode === 'v1' ? 'v1' : 'v3'),
    );
    const schema = isJsonObject(served) && isJsonObject(served.schema) ? served.schema : {};
    const root = isJsonObject(schema.openAPIV3Schema) ? schema.openAPIV3Schema : {};
    const properties = isJsonObject(root.properties) ? root.properties : {};
    if (isJsonObject(properties.spec)) schemas.set(kind.kind, properties.spec);
  }
  return (resource) => {
    const schema = schemas.get(resource.kind);
    if (!schema || !isJsonObject(resource.spec)) return resource;
    const spec = applyDefaults(structuredClone(resource.spec), schema) as JsonObject;
    return { ...resource, spec };
  };
}
