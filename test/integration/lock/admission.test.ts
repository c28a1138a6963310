/**
 * KDD v3: `lock` refused by Kubernetes admission control, for real, in the v3 test apiserver.
 *
 * 1. A ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) that, like Calico's
 *    calico-webhooks (webhooks/pkg/clusterinfo/clusterinfo.go), lets only the service accounts
 *    calico-node, calico-kube-controllers and calico-typha create or update ClusterInformation,
 *    with reason Forbidden (HTTP 403). The suggested fix is checked too: the same lock through a
 *    kubeconfig that impersonates calico-kube-controllers (`as:`) passes.
 * 2. A validating webhook served by this test process that answers exactly as Calico's does
 *    (reason MethodNotAllowed, no code: the API server sends HTTP 400).
 *
 * Both must end with exit code 2, the explanation, and ClusterInformation unchanged. The policy,
 * webhook and RBAC objects are removed afterwards (the apiserver is shared), and the test waits
 * until writes pass again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { dump, load } from 'js-yaml';
import type { Datastore } from '../../../src/datastores/datastore.js';
import { openKddDatastore } from '../../../src/datastores/kdd/kdd-datastore.js';
import { LockAnnotation } from '../../../src/migrate/lock-record.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import { readState } from '../../harness/state.js';
import { acquireDatastoreLock } from '../../helpers/clean-datastores.js';
import { runCli } from '../../helpers/run-cli.js';
import { KubeApi } from '../../helpers/seed-kdd.js';
import type { TestEnv } from '../../helpers/testenv.js';
import { loadTestEnv } from '../../helpers/testenv.js';
import {
  adminKubeconfig,
  CI_REF,
  clearClusterInformation,
  readyClusterInformation,
  restoreClusterInformation,
} from './support.js';

const NAME = 'calico-migrate-test-cluster-info';
const ADMIN = 'calico-migrate-admin';
const ALLOWED = ['calico-node', 'calico-kube-controllers', 'calico-typha'].map(
  (account) => `system:serviceaccount:kube-system:${account}`,
);
const CI_PATH = '/apis/projectcalico.org/v3/clusterinformations';
const VAP_PATH = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const BINDING_PATH = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const WEBHOOK_PATH = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const ROLE_PATH = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
const ROLE_BINDING_PATH = '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';

let env: TestEnv;
let api: KubeApi;
let ds: Datastore;
let saved: CalicoResource | undefined;
let release: (() => void) | undefined;
let work: string;

const kddArgs = (kubeconfig: string) => ['--datastore', 'kdd', '--kubeconfig', kubeconfig];

/**
 * Whether a (dry-run) write of ClusterInformation by the admin is refused by admission right now:
 * admission policies and webhooks take effect a moment after they are created or deleted.
 */
async function writeIsDenied(): Promise<boolean> {
  const current = await api.send('GET', `${CI_PATH}/default`, undefined, { ok: [404] });
  const { status, body } =
    current.status === 404
      ? await api.send('POST', `${CI_PATH}?dryRun=All`, readyClusterInformation(), {
          ok: [400, 403, 409, 422],
        })
      : await api.send('PUT', `${CI_PATH}/default?dryRun=All`, current.body, {
          ok: [400, 403, 409, 422],
        });
  if (status === 409) return writeIsDenied();
  const message = String((body as { message?: string } | undefined)?.message ?? '');
  return status >= 400 && /denied (the )?request/.test(message);
}

async function waitForAdmission(denied: boolean): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    if ((await writeIsDenied()) === denied) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `ClusterInformation writes are still ${denied ? 'allowed' : 'denied'} after 30 s`,
  );
}

async function removeAdmissionObjects(): Promise<void> {
  for (const path of [BINDING_PATH, VAP_PATH, WEBHOOK_PATH, ROLE_BINDING_PATH, ROLE_PATH]) {
    await api.send('DELETE', `${path}/${NAME}`, undefined, { ok: [404] });
  }
}

before(async () => {
  env = loadTestEnv();
  work = mkdtempSync(join(tmpdir(), 'calico-migrate-lock-admission-'));
  release = await acquireDatastoreLock();
  api = await KubeApi.forApiserver(env, 'v3');
  ds = await openKddDatastore({ kubeconfig: adminKubeconfig(env, 'v3'), crdMode: 'auto' });
  saved = await ds.get(CI_REF);
  await removeAdmissionObjects(); // left over by a crashed run
});

after(async () => {
  try {
    await removeAdmissionObjects();
    await waitForAdmission(false);
    await restoreClusterInformation(ds, saved);
  } finally {
    await ds?.close();
    release?.();
    rmSync(work, { recursive: true, force: true });
  }
});

/** Checks a refused lock: exit 2, the explanation on stderr, nothing else. */
function assertRefused(result: Awaited<ReturnType<typeof runCli>>, who: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout.length, 0);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  const server = env.apiservers.v3!.url.replace(/[.]/g, '\\.');
  assert.match(
    result.stderr,
    new RegExp(
      `^calico-migrate: error: cannot lock the datastore at ${server} \\(KDD v3 CRD mode\\): `,
    ),
  );
  assert.match(result.stderr, who);
  assert.match(
    result.stderr,
    /refused the write of ClusterInformation default, so nothing was changed/,
  );
  assert.match(result.stderr, /read-only resource \(user: calico-migrate-admin\)/);
  assert.match(result.stderr, /calico-node, calico-kube-controllers, calico-typha/);
  assert.match(result.stderr, /as: system:serviceaccount:<namespace>:calico-kube-controllers/);
  assert.match(result.stderr, /Job that uses the calico-kube-controllers service account/);
}

describe('a ValidatingAdmissionPolicy that protects ClusterInformation as calico-webhooks does', () => {
  before(async () => {
    await clearClusterInformation(ds);
    await ds.create(readyClusterInformation());
    await api.send('POST', VAP_PATH, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: NAME },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: ['projectcalico.org'],
              apiVersions: ['v3'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['clusterinformations'],
            },
          ],
        },
        validations: [
          {
            expression: `request.userInfo.username in ${JSON.stringify(ALLOWED)}`,
            messageExpression:
              "'ClusterInformation is a read-only resource (user: ' + request.userInfo.username + ')'",
            reason: 'Forbidden',
          },
        ],
      },
    });
    await api.send('POST', BINDING_PATH, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: NAME },
      spec: { policyName: NAME, validationActions: ['Deny'] },
    });
    await waitForAdmission(true);
  });

  after(async () => {
    await removeAdmissionObjects();
    await waitForAdmission(false);
  });

  it('refuses the lock (update, HTTP 403): exit 2, the explanation, nothing changed', async () => {
    const before = (await ds.get(CI_REF))!;
    const result = await runCli(['lock', ...kddArgs(adminKubeconfig(env, 'v3')), '--by', 'me']);
    assertRefused(
      result,
      new RegExp(`the ValidatingAdmissionPolicy ${NAME} \\(binding ${NAME}\\) refused`),
    );
    const after = (await ds.get(CI_REF))!;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec?.datastoreReady, true);
  });

  it('refuses the lock (create, when there is no ClusterInformation): nothing is created', async () => {
    await clearClusterInformation(ds);
    const result = await runCli(['lock', ...kddArgs(adminKubeconfig(env, 'v3')), '--by', 'me']);
    assertRefused(result, new RegExp(`the ValidatingAdmissionPolicy ${NAME}`));
    assert.equal(await ds.get(CI_REF), undefined);
  });

  describe('run as calico-kube-controllers (the suggested fix)', () => {
    let kubeconfig: string;

    beforeEach(async () => {
      // calico-kube-controllers' own RBAC on ClusterInformation (charts/calico/templates/
      // calico-kube-controllers-rbac.yaml).
      await api.send('POST', ROLE_PATH, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: NAME },
        rules: [
          {
            apiGroups: ['projectcalico.org', 'crd.projectcalico.org'],
            resources: ['clusterinformations'],
            verbs: ['get', 'list', 'create', 'update', 'watch'],
          },
        ],
      });
      await api.send('POST', ROLE_BINDING_PATH, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: NAME },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
        subjects: [
          { kind: 'ServiceAccount', name: 'calico-kube-controllers', namespace: 'kube-system' },
        ],
      });
      const config = load(readFileSync(adminKubeconfig(env, 'v3'), 'utf8')) as {
        users: { user: Record<string, string> }[];
      };
      config.users[0]!.user.as = ALLOWED[1]!;
      kubeconfig = join(work, 'impersonating-kubeconfig.yaml');
      writeFileSync(kubeconfig, dump(config), { mode: 0o600 });
    });

    afterEach(async () => {
      for (const path of [ROLE_BINDING_PATH, ROLE_PATH]) {
        await api.send('DELETE', `${path}/${NAME}`, undefined, { ok: [404] });
      }
    });

    it('locks and unlocks through a kubeconfig with `as: system:serviceaccount:...`', async () => {
      await clearClusterInformation(ds); // the admin may delete (the policy covers create and update)
      const locked = await runCli(['lock', ...kddArgs(kubeconfig), '--by', 'me']);
      assert.equal(locked.code, 0, locked.stderr);
      const stored = (await ds.get(CI_REF))!;
      assert.equal(stored.spec?.datastoreReady, false);
      assert.equal(stored.metadata.annotations?.[LockAnnotation.LockedBy], 'me');
      const unlocked = await runCli(['unlock', ...kddArgs(kubeconfig), '--by', 'me']);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      assert.equal((await ds.get(CI_REF))!.spec?.datastoreReady, true);
    });
  });
});

describe("a validating webhook answering as Calico's cluster-info webhook does", () => {
  let server: Server;
  const reviews: string[] = [];

  before(async () => {
    await clearClusterInformation(ds);
    await ds.create(readyClusterInformation());
    const runDir = readState()!.runDir;
    server = createServer(
      {
        cert: readFileSync(join(runDir, 'pki', 'apiserver.crt')),
        key: readFileSync(join(runDir, 'pki', 'apiserver.key')),
      },
      (request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            request: { uid: string; userInfo: { username: string } };
          };
          const user = review.request.userInfo.username;
          reviews.push(user);
          // webhooks/pkg/clusterinfo/clusterinfo.go admit: Failure, MethodNotAllowed, no code.
          const allowed = ALLOWED.includes(user);
          response.setHeader('content-type', 'application/json');
          response.end(
            JSON.stringify({
              apiVersion: 'admission.k8s.io/v1',
              kind: 'AdmissionReview',
              response: {
                uid: review.request.uid,
                allowed,
                ...(!allowed && {
                  status: {
                    status: 'Failure',
                    message: `ClusterInformation is a read-only resource (user: ${user})`,
                    reason: 'MethodNotAllowed',
                  },
                }),
              },
            }),
          );
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await api.send('POST', WEBHOOK_PATH, {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: NAME },
      webhooks: [
        {
          name: 'cluster-info.api.projectcalico.org',
          admissionReviewVersions: ['v1'],
          clientConfig: {
            url: `https://127.0.0.1:${port}/cluster-info`,
            caBundle: readFileSync(join(runDir, 'pki', 'ca.crt')).toString('base64'),
          },
          // As Calico's: Ignore, so a test process that died leaves no write blocked.
          failurePolicy: 'Ignore',
          sideEffects: 'None',
          timeoutSeconds: 5,
          rules: [
            {
              apiGroups: ['projectcalico.org'],
              apiVersions: ['v3'],
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              resources: ['clusterinformations'],
              scope: '*',
            },
          ],
        },
      ],
    });
    await waitForAdmission(true);
  });

  after(async () => {
    await api.send('DELETE', `${WEBHOOK_PATH}/${NAME}`, undefined, { ok: [404] });
    await waitForAdmission(false);
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses the lock (HTTP 400 from the webhook): exit 2, the explanation, nothing changed', async () => {
    const before = (await ds.get(CI_REF))!;
    reviews.length = 0;
    const result = await runCli(['lock', ...kddArgs(adminKubeconfig(env, 'v3')), '--by', 'me']);
    assertRefused(result, /the admission webhook cluster-info\.api\.projectcalico\.org refused/);
    assert.match(
      result.stderr,
      /; this is Calico's calico-webhooks protection of ClusterInformation in KDD v3 CRD mode: it lets only the service accounts calico-node, calico-kube-controllers, calico-typha \(in Calico's namespace\) write it: run calico-migrate as/,
    );
    assert.deepEqual(reviews, [ADMIN], 'the webhook saw exactly one write, by the admin');
    const after = (await ds.get(CI_REF))!;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec?.datastoreReady, true);
  });
});
