import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConnection } from '../../../src/cli/config/resolve-connection.js';
import { ConfigError } from '../../../src/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-config-'));
const missing = join(dir, 'no-such.cfg');
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const env = (vars: Record<string, string>) => ({ HOME: dir, ...vars });

describe('resolveConnection', () => {
  it('reads calicoctl environment variables', () => {
    const config = resolveConnection(
      {},
      env({
        DATASTORE_TYPE: 'etcdv3',
        ETCD_ENDPOINTS: 'https://a:2379, https://b:2379',
        ETCD_CA_CERT_FILE: '/pki/ca.crt',
        ETCD_CERT_FILE: '/pki/c.crt',
        ETCD_KEY_FILE: '/pki/c.key',
        ETCD_USERNAME: 'root',
        ETCD_PASSWORD: 'pw',
        KUBECONFIG: '/k/one:/k/two',
      }),
      missing,
    );
    assert.equal(config.datastoreType, 'etcdv3');
    assert.equal(config.origin, 'environment');
    assert.deepEqual(config.etcd.endpoints, ['https://a:2379', 'https://b:2379']);
    assert.equal(config.etcd.caCertFile, '/pki/ca.crt');
    assert.equal(config.etcd.username, 'root');
    assert.equal(config.kubernetes.kubeconfig, '/k/one');
    assert.equal(config.kubernetes.crdMode, 'auto');
  });

  it('prefers CALICO_-prefixed variables, as envconfig does', () => {
    const config = resolveConnection(
      {},
      env({ ETCD_ENDPOINTS: 'http://plain:2379', CALICO_ETCD_ENDPOINTS: 'http://prefixed:2379' }),
      missing,
    );
    assert.deepEqual(config.etcd.endpoints, ['http://prefixed:2379']);
  });

  it('lets flags override the environment', () => {
    const config = resolveConnection(
      { etcdEndpoints: 'http://flag:2379', kubeconfig: '/flag/kubeconfig', context: 'ctx' },
      env({ ETCD_ENDPOINTS: 'http://env:2379', KUBECONFIG: '/env/kubeconfig' }),
      missing,
    );
    assert.deepEqual(config.etcd.endpoints, ['http://flag:2379']);
    assert.equal(config.kubernetes.kubeconfig, '/flag/kubeconfig');
    assert.equal(config.kubernetes.context, 'ctx');
  });

  it('reads a calicoctl config file given with --config, ignoring the environment', () => {
    const path = write(
      'calicoctl.cfg',
      [
        'apiVersion: projectcalico.org/v3',
        'kind: CalicoAPIConfig',
        'metadata: {}',
        'spec:',
        '  datastoreType: kubernetes',
        '  kubeconfig: /etc/kube/admin.conf',
        '  k8sCurrentContext: prod',
        '  etcdCACert: "-----BEGIN CERTIFICATE-----"',
        '  calicoAPIGroup: projectcalico.org/v3',
      ].join('\n'),
    );
    const config = resolveConnection({ config: path }, env({ DATASTORE_TYPE: 'etcdv3' }), missing);
    assert.equal(config.datastoreType, 'kubernetes');
    assert.equal(config.origin, `config file ${path}`);
    assert.equal(config.kubernetes.kubeconfig, '/etc/kube/admin.conf');
    assert.equal(config.kubernetes.context, 'prod');
    assert.equal(config.kubernetes.crdMode, 'v3');
    assert.equal(config.etcd.caCert, '-----BEGIN CERTIFICATE-----');
  });

  it('uses the default config file only when no datastore variable is set', () => {
    const path = write(
      'default.cfg',
      '{"apiVersion":"projectcalico.org/v3","kind":"CalicoAPIConfig","spec":{"datastoreType":"etcdv3","etcdEndpoints":"http://file:2379"}}',
    );
    assert.equal(resolveConnection({}, env({}), path).origin, `config file ${path}`);
    const fromEnv = resolveConnection({}, env({ DATASTORE_TYPE: 'kubernetes' }), path);
    assert.equal(fromEnv.origin, 'environment');
    assert.equal(fromEnv.datastoreType, 'kubernetes');
  });

  it('rejects unknown fields and wrong types in the config file', () => {
    const bad = write(
      'bad.cfg',
      'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  etcdEndpoint: http://x:2379\n',
    );
    assert.throws(() => resolveConnection({ config: bad }, env({}), missing), {
      name: 'ConfigError',
      message: /unknown field "spec.etcdEndpoint"/,
    });
    const wrongType = write(
      'type.cfg',
      'apiVersion: projectcalico.org/v3\nkind: CalicoAPIConfig\nspec:\n  k8sInsecureSkipTLSVerify: "yes"\n',
    );
    assert.throws(() => resolveConnection({ config: wrongType }, env({}), missing), ConfigError);
  });

  it('names a missing config file', () => {
    assert.throws(() => resolveConnection({ config: missing }, env({}), missing), {
      message: new RegExp(`cannot read config file ${missing}`),
    });
  });

  it('rejects unknown datastore types and CRD modes', () => {
    assert.throws(() => resolveConnection({}, env({ DATASTORE_TYPE: 'consul' }), missing), {
      message: /unknown datastore type "consul"/,
    });
    assert.throws(() => resolveConnection({ crdMode: 'v2' }, env({}), missing), {
      message: /unknown CRD mode "v2"/,
    });
  });

  it('forces the CRD mode from CALICO_API_GROUP as Calico does', () => {
    const v1 = resolveConnection(
      {},
      env({ CALICO_API_GROUP: 'crd.projectcalico.org/v1' }),
      missing,
    );
    assert.equal(v1.kubernetes.crdMode, 'v1');
    const flag = resolveConnection(
      { crdMode: 'v3' },
      env({ CALICO_API_GROUP: 'crd.projectcalico.org/v1' }),
      missing,
    );
    assert.equal(flag.kubernetes.crdMode, 'v3');
  });
});
