/**
 * Finds out how Calico stores data in this Kubernetes API server: the CRD mode, chosen exactly as
 * Calico chooses it (libcalico-go/lib/backend/k8s/discovery.go: v3 only when the
 * `projectcalico.org` group is served and `crd.projectcalico.org` is not), and whether every Calico
 * CRD of that mode is installed.
 */
import { isJsonObject } from '../../model/json.js';
import { MissingCrdsError, NotFoundError } from '../../model/errors.js';
import { KINDS } from '../../model/kinds.js';
import type { CrdMode } from '../datastore.js';
import { crdPathsFor, V1_GROUP, V3_GROUP } from './crd-paths.js';
import type { KubeClient } from './http-client.js';

/** Detects the CRD mode from the served API groups. */
export async function detectCrdMode(client: KubeClient): Promise<CrdMode> {
  const response = await client.send({ method: 'GET', path: '/apis' });
  const groups =
    isJsonObject(response.body) && Array.isArray(response.body.groups) ? response.body.groups : [];
  const names = new Set(groups.map((group) => (isJsonObject(group) ? group.name : undefined)));
  return names.has(V3_GROUP) && !names.has(V1_GROUP) ? 'v3' : 'v1';
}

/** The CRD plurals Calico needs in a mode. */
export function listRequiredPlurals(mode: CrdMode): string[] {
  return KINDS.filter((row) => row.kdd.type === 'crd').map((row) => crdPathsFor(row, mode).plural);
}

/** Throws MissingCrdsError naming what is missing unless every Calico CRD of `mode` is served. */
export async function checkCalicoCrds(client: KubeClient, mode: CrdMode): Promise<void> {
  const group = mode === 'v1' ? V1_GROUP : V3_GROUP;
  const version = mode === 'v1' ? 'v1' : 'v3';
  const hint =
    mode === 'v1'
      ? 'install the Calico CRDs (crd.projectcalico.org, e.g. manifests/crds.yaml of your Calico release)'
      : 'install the Calico v3 CRDs (projectcalico.org, e.g. manifests/calico-v3-crds.yaml of your Calico release)';
  let served: Set<string>;
  try {
    const response = await client.send({ method: 'GET', path: `/apis/${group}/${version}` });
    const resources =
      isJsonObject(response.body) && Array.isArray(response.body.resources)
        ? response.body.resources
        : [];
    served = new Set(
      resources.map((resource) => (isJsonObject(resource) ? String(resource.name) : '')),
    );
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new MissingCrdsError(
      `the Calico CRDs are not installed in the Kubernetes API server ${client.server} (API group ${group}/${version} is not served)`,
      hint,
    );
  }
  const missing = listRequiredPlurals(mode).filter((plural) => !served.has(plural));
  if (missing.length > 0) {
    throw new MissingCrdsError(
      `the Kubernetes API server ${client.server} lacks Calico CRDs for ${missing.map((plural) => `${plural}.${group}`).join(', ')}`,
      hint,
    );
  }
}
