/**
 * Proves the throttled kube-apiserver really rejects concurrent writes with HTTP 429 for the
 * kubeconfig's user (outside system:masters, which the in-flight filter never rejects), so the
 * tool's back-off can be tested against a real apiserver.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig, loadTestEnv } from '../../helpers/testenv.js';
import type { TestEnv } from '../../helpers/testenv.js';

const CONCURRENCY = 30;
const target = { group: 'crd.projectcalico.org', version: 'v1', plural: 'globalnetworksets' };
const suffix = randomBytes(3).toString('hex');

interface Outcome {
  readonly name: string;
  readonly status: number;
  readonly retryAfter?: string;
}

/** Creates `CONCURRENCY` GlobalNetworkSets at once; returns each request's HTTP status. */
async function createConcurrently(api: CustomObjectsApi, who: string): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i): Promise<Outcome> => {
      const name = `throttle-${who}-${suffix}-${i}`;
      const body = {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'GlobalNetworkSet',
        metadata: { name },
        spec: { nets: [`10.${i}.0.0/16`] },
      };
      try {
        await api.createClusterCustomObject({ ...target, body });
        return { name, status: 201 };
      } catch (error) {
        const e = error as { code?: number; headers?: Record<string, string> };
        if (typeof e.code !== 'number') throw error;
        return { name, status: e.code, retryAfter: e.headers?.['retry-after'] };
      }
    }),
  );
}

describe('throttled kube-apiserver', () => {
  let env: TestEnv;
  let admin: CustomObjectsApi;
  const created: string[] = [];

  before(() => {
    env = loadTestEnv();
    const adminConfig = new KubeConfig();
    const throttled = env.apiservers.throttled;
    assert.ok(throttled !== undefined, 'the throttled apiserver is not running');
    adminConfig.loadFromFile(throttled.adminKubeconfig);
    admin = adminConfig.makeApiClient(CustomObjectsApi);
  });

  after(async () => {
    for (const name of created) {
      await admin.deleteClusterCustomObject({ ...target, name }).catch(() => undefined);
    }
  });

  it('answers concurrent writes of its (non-system:masters) user with 429 and Retry-After', async () => {
    const api = loadKubeConfig(env, 'throttled').makeApiClient(CustomObjectsApi);
    const outcomes = await createConcurrently(api, 'user');
    created.push(...outcomes.filter((o) => o.status === 201).map((o) => o.name));
    const statuses = new Set(outcomes.map((o) => o.status));
    assert.deepEqual([...statuses].sort(), [201, 429], 'some writes succeed, the rest get 429');
    const rejected = outcomes.filter((o) => o.status === 429);
    assert.ok(rejected.every((o) => o.retryAfter !== undefined && Number(o.retryAfter) > 0));
  });

  it('never throttles system:masters (the reason the tests use another user)', async () => {
    const outcomes = await createConcurrently(admin, 'admin');
    created.push(...outcomes.filter((o) => o.status === 201).map((o) => o.name));
    assert.deepEqual(
      outcomes.filter((o) => o.status !== 201),
      [],
    );
  });
});
