/**
 * Where a Calico kind lives in the Kubernetes API: group, version, plural and kind of its custom
 * resource in each CRD mode (calico-datastore-model.md §1.1, §8.1), and the REST paths built from
 * them. Plurals are the lower-case CRD plurals (the Go client's CamelCase resource names such as
 * `IPPools` are resolved by client-go; a plain HTTP client must use the CRD plural).
 */
import { InternalError } from '../../model/errors.js';
import type { KindInfo } from '../../model/kinds.js';
import { isNamespaced } from '../../model/kinds.js';
import type { CrdMode } from '../datastore.js';

/** The v1 CRD group (libcalico-go/config/crd/crd.projectcalico.org_*.yaml). */
export const V1_GROUP = 'crd.projectcalico.org';
/** The v3 CRD group (api/config/crd/projectcalico.org_*.yaml). */
export const V3_GROUP = 'projectcalico.org';

/** The custom resource behind a kind in one CRD mode. */
export interface CrdPaths {
  group: string;
  version: string;
  /** `<group>/<version>`, the CR's apiVersion. */
  apiVersion: string;
  plural: string;
  /** The CR kind: the v1 kind in v1 mode (`IPAMConfig`), the v3 kind in v3 mode. */
  kind: string;
  namespaced: boolean;
}

/**
 * The CRD of a kinds-table row whose KDD storage is a Calico CRD. v1 mode uses the row's `v1Kind`
 * / `v1Plural` (`IPAMConfig` / `ipamconfigs` for IPAMConfiguration), v3 mode the v3 kind and plural
 * (libcalico-go/lib/backend/k8s/resources/ipam_config.go chooses `IPAMConfigurations` for v3).
 * Throws `InternalError` for a row that is not stored as a Calico CRD.
 */
export function crdPathsFor(info: KindInfo, mode: CrdMode): CrdPaths {
  if (info.kdd.type !== 'crd') {
    throw new InternalError(`${info.kind} is not stored as a Calico CRD (${info.kdd.type})`);
  }
  const namespaced = isNamespaced(info);
  if (mode === 'v1') {
    const version = 'v1';
    return {
      group: V1_GROUP,
      version,
      apiVersion: `${V1_GROUP}/${version}`,
      plural: info.kdd.v1Plural,
      kind: info.kdd.v1Kind,
      namespaced,
    };
  }
  const version = 'v3';
  return {
    group: V3_GROUP,
    version,
    apiVersion: `${V3_GROUP}/${version}`,
    plural: info.plural,
    kind: info.kind,
    namespaced,
  };
}

/**
 * The REST path of a collection (`name` omitted) or of one custom resource:
 * `/apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>]`. A namespaced collection without a
 * namespace lists all namespaces. Segments are URI-encoded.
 */
export function customResourcePath(paths: CrdPaths, name?: string, namespace?: string): string {
  const scope = paths.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const item = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `/apis/${paths.group}/${paths.version}${scope}/${paths.plural}${item}`;
}

/** The REST path of a Kubernetes Node, or of the node collection when `name` is omitted. */
export function nodePath(name?: string): string {
  return name === undefined ? '/api/v1/nodes' : `/api/v1/nodes/${encodeURIComponent(name)}`;
}

/**
 * The path a Calico Node update is sent to: the Node's `status` subresource, as Calico's
 * `UpdateStatus` does (libcalico-go/lib/backend/k8s/resources/node.go Update).
 */
export function nodeStatusPath(name: string): string {
  return `${nodePath(name)}/status`;
}
