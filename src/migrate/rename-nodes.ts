/**
 * Renames nodes inside one canonical object, for either direction of a migration. Every place
 * Calico keeps a node name is covered (README.md in this directory lists them, and the ones left
 * alone on purpose). Pure: the input is never modified; an object with nothing to rename is
 * returned as is.
 *
 * Compared with `calicoctl datastore migrate` (calicoctl/calicoctl/commands/datastore/migrate/
 * export.go, migrateipam.go), this also renames the IPv6 tunnel handles, HostEndpoint / BGPPeer /
 * CalicoNodeStatus `spec.node`, and never turns a `virtual:` block affinity into a `host:` one
 * (migrateipam.go rewrites the affinity whenever `block.Host()`, which strips either prefix, is
 * in the map).
 */
import { InvalidObjectError } from '../model/errors.js';
import { blockAffinityName, ipamHandleName, LABEL_HOSTNAME_HASH } from '../model/ipam-names.js';
import { parseCidr } from '../model/cidr.js';
import type { JsonObject } from '../model/json.js';
import { isJsonObject } from '../model/json.js';
import type { CalicoResource, ResourceRef } from '../model/resource.js';
import { describeRef, refOf } from '../model/resource.js';
import type { NodeMap } from './node-map.js';
import { lookupOf, ORCHESTRATOR_K8S } from './node-map.js';
import type { NodeLookup } from './node-names.js';
import {
  findPerNodeConfigNode,
  PER_NODE_CONFIG_PREFIX,
  renameEndpointName,
  renameTunnelHandle,
} from './node-names.js';

/** One rewritten field. */
export interface FieldChange {
  /** Dotted path, e.g. `spec.attributes[2].secondary.node`. */
  path: string;
  from: string;
  to: string;
}

/** The result of renaming nodes in one object. */
export interface RenameOutcome {
  /** The renamed copy, or the input itself when `changes` is empty. */
  resource: CalicoResource;
  changes: FieldChange[];
  /** Set when the object's identity (its name) changed: list these in the plan and report. */
  identity?: { from: ResourceRef; to: ResourceRef };
}

interface Draft {
  resource: CalicoResource;
  lookup: NodeLookup;
  map: NodeMap;
  changes: FieldChange[];
}

type Rewriter = (draft: Draft) => void;

const REWRITERS: Record<string, Rewriter> = {
  Node: renameNode,
  FelixConfiguration: renamePerNodeConfig,
  BGPConfiguration: renamePerNodeConfig,
  BlockAffinity: renameBlockAffinity,
  IPAMBlock: renameBlock,
  IPAMHandle: renameHandle,
  HostEndpoint: (draft) => renameSpecNode(draft),
  BGPPeer: (draft) => renameSpecNode(draft),
  CalicoNodeStatus: (draft) => renameSpecNode(draft),
  WorkloadEndpoint: renameWorkloadEndpoint,
};

/** Applies the node map to every node reference in `resource`. */
export function renameNodeReferences(resource: CalicoResource, map: NodeMap): RenameOutcome {
  const rewrite = REWRITERS[resource.kind];
  if (!rewrite || map.names.size === 0) return { resource, changes: [] };
  const draft: Draft = {
    resource: structuredClone(resource),
    lookup: lookupOf(map),
    map,
    changes: [],
  };
  rewrite(draft);
  if (draft.changes.length === 0) return { resource, changes: [] };
  const before = refOf(resource);
  const after = refOf(draft.resource);
  const outcome: RenameOutcome = { resource: draft.resource, changes: draft.changes };
  if (describeRef(before) !== describeRef(after)) outcome.identity = { from: before, to: after };
  return outcome;
}

function setName(draft: Draft, name: string): void {
  const meta = draft.resource.metadata;
  if (meta.name === name) return;
  draft.changes.push({ path: 'metadata.name', from: meta.name, to: name });
  meta.name = name;
}

/** Renames `object[key]` when it is a string naming a mapped node. */
function renameField(
  draft: Draft,
  object: JsonObject,
  key: string,
  path: string,
): string | undefined {
  const value = object[key];
  if (typeof value !== 'string') return undefined;
  const renamed = draft.lookup(value);
  if (renamed === undefined) return undefined;
  object[key] = renamed;
  draft.changes.push({ path, from: value, to: renamed });
  return renamed;
}

function specOf(draft: Draft): JsonObject | undefined {
  const spec = draft.resource.spec;
  return isJsonObject(spec) ? spec : undefined;
}

/** HostEndpoint, BGPPeer, CalicoNodeStatus: `spec.node` (api/pkg/apis/projectcalico/v3). */
function renameSpecNode(draft: Draft): string | undefined {
  const spec = specOf(draft);
  return spec && renameField(draft, spec, 'node', 'spec.node');
}

/**
 * Node: its name. In KDD `orchRefs` is derived as `[{nodeName: <name>, orchestrator: k8s}]`
 * (resources/node.go), so going to KDD the k8s orchRef is pointed at the new name (it already is,
 * unless a --node-map entry overrode it); going to etcd the name it had in KDD IS the Kubernetes
 * name, which orchRefs already holds, so orchRefs are left alone.
 */
function renameNode(draft: Draft): void {
  const oldName = draft.resource.metadata.name;
  const target = draft.map.names.get(oldName);
  if (target === undefined) return;
  setName(draft, target);
  if (draft.map.direction !== 'etcd-to-kdd') return;
  const spec = (draft.resource.spec ??= {});
  const refs = Array.isArray(spec.orchRefs) ? spec.orchRefs : [];
  let hasK8sRef = false;
  refs.forEach((ref, index) => {
    if (!isJsonObject(ref) || ref.orchestrator !== ORCHESTRATOR_K8S) return;
    hasK8sRef = true;
    if (ref.nodeName === target) return;
    draft.changes.push({
      path: `spec.orchRefs[${index}].nodeName`,
      from: String(ref.nodeName ?? ''),
      to: target,
    });
    ref.nodeName = target;
  });
  if (!hasK8sRef) {
    refs.push({ nodeName: target, orchestrator: ORCHESTRATOR_K8S });
    spec.orchRefs = refs;
    draft.changes.push({
      path: `spec.orchRefs[${refs.length - 1}].nodeName`,
      from: '',
      to: target,
    });
  }
}

/** `node.<name>` FelixConfiguration / BGPConfiguration (calicoctl export.go renames these too). */
function renamePerNodeConfig(draft: Draft): void {
  const node = findPerNodeConfigNode(draft.resource.metadata.name);
  const renamed = node === undefined ? undefined : draft.lookup(node);
  if (renamed !== undefined) setName(draft, PER_NODE_CONFIG_PREFIX + renamed);
}

/**
 * BlockAffinity of type `host` (an empty type reads as host): `spec.node` and the name
 * `<host>-<cidrname>` (ipam_affinity_v1.go parseKey). A `virtual` affinity's node is a virtual
 * owner such as `load-balancer` (api/pkg/apis/projectcalico/v3/constants.go VirtualLoadBalancer),
 * not a node. The hostname-hash label is the KDD writer's business; a stale one is dropped.
 */
function renameBlockAffinity(draft: Draft): void {
  const spec = specOf(draft);
  if (!spec || (spec.type !== undefined && spec.type !== '' && spec.type !== 'host')) return;
  const renamed = renameField(draft, spec, 'node', 'spec.node');
  if (renamed === undefined) return;
  const cidr = typeof spec.cidr === 'string' ? parseCidr(spec.cidr) : undefined;
  if (!cidr) {
    throw new InvalidObjectError(
      `BlockAffinity ${draft.resource.metadata.name}: spec.cidr ${String(spec.cidr)} is not a CIDR`,
    );
  }
  setName(draft, blockAffinityName(renamed, cidr));
  const labels = draft.resource.metadata.labels;
  if (labels && LABEL_HOSTNAME_HASH in labels) {
    delete labels[LABEL_HOSTNAME_HASH];
    if (Object.keys(labels).length === 0) delete draft.resource.metadata.labels;
  }
}

const HOST_AFFINITY = 'host:';

/**
 * IPAMBlock: `spec.affinity` `host:<node>` only, and per allocation `secondary.node`,
 * `alternateOwnerAttrs.node` and tunnel `handle_id`s (libcalico-go/lib/backend/model/block.go
 * AllocationAttribute). The name is the CIDR and never changes.
 */
function renameBlock(draft: Draft): void {
  const spec = specOf(draft);
  if (!spec) return;
  const affinity = spec.affinity;
  if (typeof affinity === 'string' && affinity.startsWith(HOST_AFFINITY)) {
    const renamed = draft.lookup(affinity.slice(HOST_AFFINITY.length));
    if (renamed !== undefined) {
      spec.affinity = HOST_AFFINITY + renamed;
      draft.changes.push({ path: 'spec.affinity', from: affinity, to: spec.affinity });
    }
  }
  if (!Array.isArray(spec.attributes)) return;
  spec.attributes.forEach((attribute, index) => {
    if (!isJsonObject(attribute)) return;
    const path = `spec.attributes[${index}]`;
    const handleId = attribute.handle_id;
    if (typeof handleId === 'string') {
      const renamed = renameTunnelHandle(handleId, draft.lookup);
      if (renamed !== undefined) {
        attribute.handle_id = renamed;
        draft.changes.push({ path: `${path}.handle_id`, from: handleId, to: renamed });
      }
    }
    for (const owner of ['secondary', 'alternateOwnerAttrs']) {
      const attrs = attribute[owner];
      if (isJsonObject(attrs)) renameField(draft, attrs, 'node', `${path}.${owner}.node`);
    }
  });
}

/** IPAMHandle of a tunnel address: `spec.handleID` and the name (the ID lower-cased). */
function renameHandle(draft: Draft): void {
  const spec = specOf(draft);
  const handleId = spec?.handleID;
  if (!spec || typeof handleId !== 'string') return;
  const renamed = renameTunnelHandle(handleId, draft.lookup);
  if (renamed === undefined) return;
  spec.handleID = renamed;
  draft.changes.push({ path: 'spec.handleID', from: handleId, to: renamed });
  setName(draft, ipamHandleName(renamed));
}

/**
 * WorkloadEndpoint: `spec.node`, and the node segment of the name when it names the same node
 * (`<node>-<orchestrator>-<workload>-<endpoint>`, names/workloadendpoint.go). Needed going to etcd
 * with a --node-map: the etcd-mode CNI plugin finds the endpoint at CNI DEL by the name it computes
 * from the Calico node name (cni-plugin/pkg/plugin/plugin.go cmdDel: GetIdentifiers(args, nodename),
 * CalculateWorkloadEndpointName). Going to KDD, endpoints are derived and
 * never written.
 */
function renameWorkloadEndpoint(draft: Draft): void {
  const spec = specOf(draft);
  const oldNode = spec?.node;
  const renamed = renameSpecNode(draft);
  if (renamed === undefined || typeof oldNode !== 'string') return;
  const name = renameEndpointName(draft.resource.metadata.name, oldNode, renamed);
  if (name !== undefined) setName(draft, name);
}
