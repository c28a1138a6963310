/**
 * Seeds the demo: the hybrid Calico deployment of test/fixtures/hybrid (Kubernetes nodes with FQDN
 * Calico names, OpenStack compute hosts, tiers and policies, IPv4 and IPv6 IPAM) into the test
 * environment's Calico etcd, as Calico v3.32.1 stores it, and the Kubernetes cluster's own objects
 * (Namespaces, ServiceAccounts, Nodes, Pods) into one of its kube-apiservers: in KDD, Calico node
 * data can only live on an existing Kubernetes Node.
 *
 *   npx tsx scripts/seed-demo.ts [--crd-mode v1|v3] [--wipe]
 *
 * The environment is the one `npm run testenv -- up` started (CALICO_MIGRATE_TESTENV_DIR picks
 * another one). It refuses to write into an etcd that already holds Calico data or an apiserver
 * that already has Nodes, unless --wipe is given (which clears both first).
 */
import { parseArgs } from 'node:util';
import { wipeEtcdCalico, wipeKdd } from '../test/helpers/clean-datastores.js';
import { openTestEtcd } from '../test/helpers/seed-etcd.js';
import { KubeApi } from '../test/helpers/seed-kdd.js';
import { loadTestEnv } from '../test/helpers/testenv.js';
import {
  buildHybrid,
  buildHybridKubernetesCluster,
  KUBERNETES_HOSTS,
  OPENSTACK_HOSTS,
} from '../test/fixtures/hybrid/index.js';
import { seedHybridEtcd, seedHybridKubernetes } from '../test/fixtures/hybrid/seed.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'crd-mode': { type: 'string', default: 'v1' },
      wipe: { type: 'boolean', default: false },
    },
  });
  const mode = values['crd-mode'];
  if (mode !== 'v1' && mode !== 'v3') throw new Error(`--crd-mode must be v1 or v3, not ${mode}`);
  const env = loadTestEnv();
  const etcd = openTestEtcd(env);
  try {
    const api = await KubeApi.forApiserver(env, mode);
    const existing = await etcd.getAll().prefix('/calico/').count();
    const nodes = await api.list('/api/v1/nodes');
    if ((existing > 0 || nodes.length > 0) && !values.wipe) {
      throw new Error(
        `etcd holds ${existing} Calico keys and the apiserver ${nodes.length} Nodes; pass --wipe to replace them`,
      );
    }
    if (values.wipe) {
      await wipeEtcdCalico(etcd);
      await wipeKdd(api);
    }
    const keys = await seedHybridEtcd(etcd);
    await seedHybridKubernetes(api);
    report(keys.size, mode);
  } finally {
    etcd.close();
  }
}

function report(keys: number, mode: string): void {
  const entries = buildHybrid('calico');
  const count = (side: string) => entries.filter((entry) => entry.side === side).length;
  const cluster = buildHybridKubernetesCluster();
  const lines = [
    `seed-demo: etcd: ${keys} keys as Calico v3.32.1 stores them (${count('kubernetes')} Kubernetes-side, ${count('openstack')} OpenStack-side, ${count('shared')} shared objects)`,
    `seed-demo:   Kubernetes nodes (Calico name -> Kubernetes name): ${KUBERNETES_HOSTS.map((h) => `${h.calico} -> ${h.k8s}`).join(', ')}`,
    `seed-demo:   OpenStack compute hosts (no k8s orchRef): ${OPENSTACK_HOSTS.map((h) => h.calico).join(', ')}`,
    `seed-demo: kube-apiserver (${mode} CRDs): ${cluster.nodes.length} Nodes, ${cluster.namespaces.length} Namespaces, ${cluster.serviceAccounts.length} ServiceAccounts, ${cluster.pods.length} Pods; no Calico data yet`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `seed-demo: error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
