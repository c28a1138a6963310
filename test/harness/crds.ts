/**
 * Installs the real Calico CRDs (from CALICO_CRDS_DIR, else ../shared/calico-crds relative to the
 * repository root; see that directory's README.md) into a test kube-apiserver and waits until every
 * one is Established. One CRD set per apiserver, never both: Calico picks v1 CRD mode whenever
 * crd.projectcalico.org is served (libcalico-go/lib/backend/k8s/discovery.go), so mixing the sets
 * would make v3 mode undetectable.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { calicoCrdsDir } from '../helpers/paths.js';
import { waitFor } from './http-probe.js';
import { expectStatus, kubeRequest } from './kube-rest.js';
import type { KubeConnection } from './kube-rest.js';
import type { CrdMode } from './state.js';

/** How long all CRDs of one apiserver may take to become Established. */
const ESTABLISH_TIMEOUT_MS = 60_000;
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/**
 * The manifest files of a CRD mode: v1 = the `crd.projectcalico.org_*` files plus the Kubernetes
 * ClusterNetworkPolicy CRD shipped with Calico (the set calicoctl embeds); v3 = the
 * `projectcalico.org_*` files.
 */
export function listCrdFiles(mode: CrdMode): string[] {
  const dir = calicoCrdsDir();
  const names = readdirSync(dir)
    .filter((name) =>
      mode === 'v1'
        ? name.startsWith('crd.projectcalico.org_') ||
          name === 'policy.networking.k8s.io_clusternetworkpolicies.yaml'
        : name.startsWith('projectcalico.org_'),
    )
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  if (names.length === 0) throw new Error(`no ${mode} CRD manifests in ${dir}`);
  return names.map((name) => join(dir, name));
}

interface CrdManifest {
  kind: string;
  metadata: { name: string };
  spec: {
    group: string;
    names: { plural: string };
    versions: { name: string; storage: boolean }[];
  };
}

/** Reads one CRD manifest (the files hold exactly one document each). */
export function readCrdManifest(file: string): CrdManifest {
  const doc = load(readFileSync(file, 'utf8')) as CrdManifest | null;
  if (doc?.kind !== 'CustomResourceDefinition' || typeof doc.metadata?.name !== 'string') {
    throw new Error(`${file} is not a CustomResourceDefinition`);
  }
  return doc;
}

/**
 * Creates the mode's CRDs (an existing one is left as it is) and waits until all are Established.
 * Returns the CRD names.
 */
export async function installCrds(conn: KubeConnection, mode: CrdMode): Promise<string[]> {
  const manifests = listCrdFiles(mode).map(readCrdManifest);
  await Promise.all(
    manifests.map(async (manifest) => {
      const response = await kubeRequest(conn, 'POST', CRD_PATH, manifest);
      expectStatus(response, [201, 409], `creating CRD ${manifest.metadata.name}`);
    }),
  );
  const names = manifests.map((manifest) => manifest.metadata.name);
  await waitForEstablished(conn, names);
  await Promise.all(manifests.map((manifest) => warmUpStorage(conn, manifest)));
  return names;
}

/**
 * Lists a CRD's resources until the list answers 200. kube-apiserver creates a custom resource's
 * storage (and its watch cache) on the first request, and answers 429 "storage is (re)initializing"
 * until the cache is filled; doing that here keeps the first request of a test from meeting it.
 */
async function warmUpStorage(conn: KubeConnection, manifest: CrdManifest): Promise<void> {
  const { group, names, versions } = manifest.spec;
  const version = versions.find((v) => v.storage)?.name ?? versions[0]?.name;
  const path = `/apis/${group}/${version}/${names.plural}`;
  let last = 0;
  await waitFor(
    async () => {
      last = (await kubeRequest(conn, 'GET', path)).status;
      return last === 200;
    },
    ESTABLISH_TIMEOUT_MS,
    () => `GET ${path} at ${conn.url} still answers HTTP ${last} after ${ESTABLISH_TIMEOUT_MS} ms`,
  );
}

interface CrdList {
  items: {
    metadata: { name: string };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Polls the CRD list until every named CRD has condition Established=True. */
export async function waitForEstablished(conn: KubeConnection, names: string[]): Promise<void> {
  let pending = new Set(names);
  await waitFor(
    async () => {
      const response = await kubeRequest(conn, 'GET', CRD_PATH);
      expectStatus(response, [200], 'listing CRDs');
      const established = new Set(
        (response.body as CrdList).items
          .filter((crd) =>
            crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
          )
          .map((crd) => crd.metadata.name),
      );
      pending = new Set(names.filter((name) => !established.has(name)));
      return pending.size === 0;
    },
    ESTABLISH_TIMEOUT_MS,
    () =>
      `CRDs not Established after ${ESTABLISH_TIMEOUT_MS} ms at ${conn.url}: ${[...pending].join(', ')}`,
    200,
  );
}
