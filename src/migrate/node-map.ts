/**
 * The node map: which name each node carries in the target datastore. In etcd a Calico node has its
 * own name (`nodename`, often the FQDN) and points at its Kubernetes node through
 * `spec.orchRefs[{orchestrator: k8s, nodeName}]` (node/pkg/lifecycle/startup/startup.go
 * configureNodeRef, from CALICO_K8S_NODE_REF); in KDD the Calico node IS the Kubernetes node
 * (libcalico-go/lib/backend/k8s/resources/node.go), so everything moving to KDD must use the
 * Kubernetes name. A `--node-map` file overrides the orchestrator references.
 */
import { ConfigError } from '../model/errors.js';
import { isJsonObject } from '../model/json.js';
import type { CalicoResource } from '../model/resource.js';
import type { NodeMapEntry } from './node-map-file.js';
import type { NodeLookup } from './node-names.js';

/** Which way a migration goes. */
export type MigrationDirection = 'etcd-to-kdd' | 'kdd-to-etcd';

/** Where a mapping came from, for messages and the report. */
export type MappingSource = { type: 'orchRef' } | { type: 'file'; line: number };

/** Source node name -> target node name, for one direction. */
export interface NodeMap {
  readonly direction: MigrationDirection;
  /** Every mapped node, including those whose name does not change. */
  readonly names: ReadonlyMap<string, string>;
  readonly sources: ReadonlyMap<string, MappingSource>;
  /** Problems that do not stop the migration (unused file entries, conflicting orchRefs). */
  readonly warnings: readonly string[];
}

/** The orchestrator of Kubernetes in Calico orchRefs and WorkloadEndpoints. */
export const ORCHESTRATOR_K8S = 'k8s';

/**
 * The Kubernetes node name of a canonical Calico Node: the `nodeName` of its first `k8s` orchRef, as
 * kube-controllers reads it (kube-controllers/pkg/controllers/node/controller.go getK8sNodeName);
 * `undefined` for a node without one (an OpenStack compute host, or a node whose calico-node ran
 * without CALICO_K8S_NODE_REF). `others` receives any further, different k8s names.
 */
export function findK8sNodeName(node: CalicoResource, others: string[] = []): string | undefined {
  const refs = node.spec?.orchRefs;
  if (!Array.isArray(refs)) return undefined;
  let found: string | undefined;
  for (const ref of refs) {
    if (!isJsonObject(ref) || ref.orchestrator !== ORCHESTRATOR_K8S) continue;
    if (typeof ref.nodeName !== 'string' || ref.nodeName === '') continue;
    if (found === undefined) found = ref.nodeName;
    else if (ref.nodeName !== found) others.push(ref.nodeName);
  }
  return found;
}

/** What the learn pass knows about one Calico node. */
export interface CalicoNodeFact {
  name: string;
  /** From orchRefs; `undefined` when the node has no k8s orchRef. */
  k8sName?: string;
  /** Further, different k8s orchRef names (a Calico bug or a hand edit). */
  conflictingK8sNames?: string[];
}

/**
 * The etcd -> KDD map: each Calico node's k8s orchRef, overridden by the file entries. Throws
 * `ConfigError` when two Calico nodes end up on one Kubernetes name (KDD has one Calico node per
 * Kubernetes Node). Nodes with neither an orchRef nor a file entry are not in the map: they are not
 * Kubernetes nodes and do not move (`classify.ts`). A file entry for a node the archive does not
 * have is kept (it still renames that node's leftover IPAM data) and reported as a warning.
 */
export function buildEtcdToKddNodeMap(
  nodes: Iterable<CalicoNodeFact>,
  fileEntries: readonly NodeMapEntry[] = [],
  fileName = '--node-map',
): NodeMap {
  const names = new Map<string, string>();
  const sources = new Map<string, MappingSource>();
  const warnings: string[] = [];
  const known = new Set<string>();
  for (const node of nodes) {
    known.add(node.name);
    if (node.conflictingK8sNames?.length) {
      warnings.push(
        `Calico node ${node.name} has several k8s orchRefs (${[node.k8sName, ...node.conflictingK8sNames].join(', ')}); using ${node.k8sName}, as kube-controllers does`,
      );
    }
    if (node.k8sName === undefined) continue;
    names.set(node.name, node.k8sName);
    sources.set(node.name, { type: 'orchRef' });
  }
  for (const entry of fileEntries) {
    names.set(entry.calicoName, entry.k8sName);
    sources.set(entry.calicoName, { type: 'file', line: entry.line });
    if (!known.has(entry.calicoName)) {
      warnings.push(
        `${fileName}:${entry.line}: no Calico node ${entry.calicoName} in the source; the entry only renames its leftover references`,
      );
    }
  }
  rejectSharedTargets(names, sources, fileName);
  return { direction: 'etcd-to-kdd', names, sources, warnings };
}

function rejectSharedTargets(
  names: ReadonlyMap<string, string>,
  sources: ReadonlyMap<string, MappingSource>,
  fileName: string,
): void {
  const byTarget = new Map<string, string>();
  const describe = (node: string): string => {
    const source = sources.get(node);
    return source?.type === 'file' ? `${node} (${fileName}:${source.line})` : `${node} (orchRef)`;
  };
  for (const [node, target] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
    const other = byTarget.get(target);
    if (other !== undefined) {
      throw new ConfigError(
        `Calico nodes ${describe(other)} and ${describe(node)} both map to Kubernetes node ${target}`,
        'A Kubernetes node holds the data of one Calico node only: delete the stale Calico node, or map one of them to another name with --node-map.',
      );
    }
    byTarget.set(target, node);
  }
}

/**
 * The KDD -> etcd map: node names stay as they are (the Kubernetes name) unless the file maps a
 * Calico name onto a Kubernetes name, in which case that Kubernetes node gets its Calico name back.
 * The file was validated one-to-one by `parseNodeMapFile`, so the reverse map is well defined.
 * `knownNodes` (the Kubernetes node names in the source) gives warnings for unused entries and an
 * error when a new name is taken by a node that keeps its name.
 */
export function buildKddToEtcdNodeMap(
  fileEntries: readonly NodeMapEntry[] = [],
  knownNodes?: ReadonlySet<string>,
  fileName = '--node-map',
): NodeMap {
  const names = new Map<string, string>();
  const sources = new Map<string, MappingSource>();
  const warnings: string[] = [];
  for (const entry of fileEntries) {
    names.set(entry.k8sName, entry.calicoName);
    sources.set(entry.k8sName, { type: 'file', line: entry.line });
    if (knownNodes && !knownNodes.has(entry.k8sName)) {
      warnings.push(
        `${fileName}:${entry.line}: no Kubernetes node ${entry.k8sName} in the source; the entry only renames its leftover references`,
      );
    }
  }
  rejectSharedTargets(names, sources, fileName);
  for (const [k8sName, calicoName] of names) {
    // Unmapped nodes keep their names, so a target must not be one of them.
    if (knownNodes?.has(calicoName) && !names.has(calicoName)) {
      throw new ConfigError(
        `${fileName}:${(sources.get(k8sName) as { line: number }).line}: Kubernetes node ${k8sName} would become Calico node ${calicoName}, which is the name of another node that keeps its name`,
        'Map that node too, or choose another Calico name.',
      );
    }
  }
  return { direction: 'kdd-to-etcd', names, sources, warnings };
}

/** The lookup of a node map: the new name of a node, or `undefined` when it keeps its name. */
export function lookupOf(map: NodeMap): NodeLookup {
  return (node) => {
    const target = map.names.get(node);
    return target === undefined || target === node ? undefined : target;
  };
}

/** The names that change, sorted, for the plan and the report. */
export function listRenames(map: NodeMap): { from: string; to: string; source: MappingSource }[] {
  return [...map.names]
    .filter(([from, to]) => from !== to)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([from, to]) => ({ from, to, source: map.sources.get(from) ?? { type: 'orchRef' } }));
}
