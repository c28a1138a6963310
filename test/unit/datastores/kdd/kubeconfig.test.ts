import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadKubeConfig } from '../../../../src/datastores/kdd/kubeconfig.js';
import { ConfigError } from '../../../../src/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cm-kubeconfig-'));

describe('loadKubeConfig', () => {
  it('names a missing kubeconfig file and the setting to fix', () => {
    assert.throws(
      () => loadKubeConfig({ kubeconfig: join(dir, 'absent.yaml'), crdMode: 'auto' }, {}),
      (error: unknown) =>
        error instanceof ConfigError &&
        /absent\.yaml does not exist/.test(error.message) &&
        error.hint === 'check KUBECONFIG or --kubeconfig',
    );
  });

  it('names the file whose YAML does not parse', () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'users:\n  - name: a\n    user:\n      token: x\n  bad: [\n');
    assert.throws(
      () => loadKubeConfig({ kubeconfig: path, crdMode: 'auto' }, {}),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith(`cannot load kubeconfig ${path}: `),
    );
  });

  it('asks for a kubeconfig when there is none and no service account', () => {
    assert.throws(
      () => loadKubeConfig({ crdMode: 'auto' }, {}),
      /no Kubernetes configuration found/,
    );
  });
});
