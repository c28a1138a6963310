import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SideStatus } from '../../../src/cli/commands/status.js';
import { chooseSides, renderStatus, statusToJson } from '../../../src/cli/commands/status.js';
import type { ConnectionConfig } from '../../../src/cli/config/resolve-connection.js';
import { LockAnnotation, lockStateOf } from '../../../src/migrate/lock-record.js';
import { ConfigError, UsageError } from '../../../src/model/errors.js';

function connection(etcd: string[], kubeconfig?: string, type?: 'etcdv3'): ConnectionConfig {
  return {
    datastoreType: type,
    etcd: { endpoints: etcd },
    kubernetes: { kubeconfig, crdMode: 'auto' },
    origin: 'test',
  };
}

describe('status: which sides', () => {
  it('shows every configured side by default', () => {
    assert.deepEqual(chooseSides(undefined, connection(['https://e'], '/k'), {}), [
      'etcdv3',
      'kubernetes',
    ]);
    assert.deepEqual(chooseSides(undefined, connection([], '/k'), {}), ['kubernetes']);
    assert.deepEqual(chooseSides(undefined, connection(['https://e']), {}), ['etcdv3']);
    assert.deepEqual(
      chooseSides(undefined, connection([]), { KUBERNETES_SERVICE_HOST: '10.0.0.1' }),
      ['kubernetes'],
    );
  });

  it('honours --datastore (both, or one side by any of its names)', () => {
    assert.deepEqual(chooseSides('both', connection([]), {}), ['etcdv3', 'kubernetes']);
    assert.deepEqual(chooseSides('kdd', connection(['https://e'], '/k'), {}), ['kubernetes']);
    assert.deepEqual(chooseSides('etcdv3', connection([], '/k'), {}), ['etcdv3']);
    assert.throws(() => chooseSides('zk', connection([]), {}), ConfigError);
  });

  it('falls back to DATASTORE_TYPE, and otherwise says what to set', () => {
    assert.deepEqual(chooseSides(undefined, connection([], undefined, 'etcdv3'), {}), ['etcdv3']);
    assert.throws(
      () => chooseSides(undefined, connection([]), {}),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError && !(error instanceof UsageError));
        assert.match(error.hint ?? '', /ETCD_ENDPOINTS/);
        return true;
      },
    );
  });
});

describe('status: output', () => {
  const locked = lockStateOf({
    apiVersion: 'projectcalico.org/v3',
    kind: 'ClusterInformation',
    metadata: {
      name: 'default',
      annotations: {
        [LockAnnotation.LockedBy]: 'alice@h',
        [LockAnnotation.LockedAt]: '2026-01-02T03:04:05Z',
        [LockAnnotation.Reason]: 'migrate',
        [LockAnnotation.LockedWith]: 'calico-migrate 9',
      },
    },
    spec: { calicoVersion: 'v3.31.7', clusterGUID: 'g1', datastoreReady: false },
  });
  const sides: SideStatus[] = [
    {
      datastore: 'etcd',
      type: 'etcdv3',
      description: { type: 'etcdv3', endpoints: ['https://e:2379'], locked: true },
      state: locked,
    },
    {
      datastore: 'kdd',
      type: 'kubernetes',
      description: { type: 'kubernetes', endpoints: ['https://k'], crdMode: 'v3' },
      state: lockStateOf(undefined),
    },
  ];

  it('renders each side with its lock record', () => {
    const text = renderStatus(sides);
    assert.match(text, /^etcd: etcdv3 https:\/\/e:2379\n/);
    assert.match(text, /\n {2}locked:\s+yes \(datastoreReady: false\)\n/);
    assert.match(
      text,
      /\n {2}locked by:\s+alice@h\n {2}locked at:\s+2026-01-02T03:04:05Z\n {2}reason:\s+migrate\n/,
    );
    assert.match(
      text,
      /\nkdd: kubernetes https:\/\/k \(v3 CRDs\)\n {2}ClusterInformation:\s+none\n {2}locked:\s+no\n$/,
    );
  });

  it('gives scripts the same facts as JSON, and the error of a side that failed', () => {
    const failed: SideStatus = { datastore: 'kdd', type: 'kubernetes', error: new Error('down') };
    assert.deepEqual(statusToJson([sides[0]!, failed]), {
      datastores: [
        {
          datastore: 'etcd',
          type: 'etcdv3',
          endpoints: ['https://e:2379'],
          clusterInformation: true,
          calicoVersion: 'v3.31.7',
          clusterGUID: 'g1',
          locked: true,
          lock: {
            lockedBy: 'alice@h',
            lockedAt: '2026-01-02T03:04:05Z',
            reason: 'migrate',
            lockedWith: 'calico-migrate 9',
          },
        },
        { datastore: 'kdd', type: 'kubernetes', error: 'down' },
      ],
    });
  });
});
