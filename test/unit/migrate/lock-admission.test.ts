import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findAdmissionDenial,
  LockRefusedByAdmissionError,
} from '../../../src/migrate/lock-admission.js';
import { translateHttpError } from '../../../src/datastores/kdd/errors.js';
import {
  AdmissionDeniedError,
  AuthError,
  ConflictError,
  ServerError,
} from '../../../src/model/errors.js';

/** The error the KDD adapter raises for an HTTP answer, as in production. */
const kddError = (status: number, message: string) =>
  translateHttpError(
    { status, headers: {}, body: { kind: 'Status', message } },
    { method: 'PUT', path: '/x' },
    'https://a:6443',
  );

describe('admission denials from the KDD adapter', () => {
  it('recognises a webhook denial answered with 400 (ToStatusErr wording)', () => {
    const error = kddError(
      400,
      'admission webhook "cluster-info.api.projectcalico.org" denied the request: ClusterInformation is a read-only resource (user: me)',
    );
    assert.ok(error instanceof AdmissionDeniedError);
    assert.deepEqual(findAdmissionDenial(error), {
      by: 'webhook',
      name: 'cluster-info.api.projectcalico.org',
      message:
        'admission webhook "cluster-info.api.projectcalico.org" denied the request: ClusterInformation is a read-only resource (user: me)',
    });
  });

  it('recognises a webhook denial without explanation', () => {
    const error = kddError(
      403,
      'admission webhook "w.example.com" denied the request without explanation',
    );
    assert.equal(findAdmissionDenial(error)?.name, 'w.example.com');
  });

  it('recognises a ValidatingAdmissionPolicy denial with and without binding (403 or 422)', () => {
    const withBinding = kddError(
      403,
      `clusterinformations.projectcalico.org "default" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: no`,
    );
    assert.deepEqual(findAdmissionDenial(withBinding), {
      by: 'policy',
      name: 'p',
      binding: 'b',
      message: "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: no",
    });
    const invalid = kddError(
      422,
      `clusterinformations.projectcalico.org "default" is forbidden: ValidatingAdmissionPolicy 'p' denied request: no`,
    );
    assert.deepEqual(findAdmissionDenial(invalid), {
      by: 'policy',
      name: 'p',
      message: "ValidatingAdmissionPolicy 'p' denied request: no",
    });
  });

  it('leaves RBAC refusals and other errors alone', () => {
    const rbac = kddError(403, 'User "u" cannot update resource "clusterinformations"');
    assert.ok(rbac instanceof AuthError);
    assert.equal(findAdmissionDenial(rbac), undefined);
    const text = 'admission webhook "w" denied the request: x';
    assert.equal(findAdmissionDenial(new ConflictError(text)), undefined);
    assert.equal(findAdmissionDenial(new ServerError(text)), undefined);
    assert.equal(findAdmissionDenial(new Error(text)), undefined);
    assert.equal(findAdmissionDenial(text), undefined);
  });
});

describe('LockRefusedByAdmissionError', () => {
  it('says what refused, where, that nothing changed, and how to run as an allowed service account', () => {
    const error = new LockRefusedByAdmissionError(
      { by: 'policy', name: 'other', message: 'server text' },
      'unlock',
      { endpoints: ['https://a:6443'], crdMode: 'v3' },
    );
    assert.match(
      error.message,
      /^cannot unlock the datastore at https:\/\/a:6443 \(KDD v3 CRD mode\): the ValidatingAdmissionPolicy other refused/,
    );
    assert.match(error.message, /nothing was changed \(server said: server text\)/);
    assert.match(error.message, /calico-node, calico-kube-controllers, calico-typha/);
    assert.match(error.hint ?? '', /impersonat/);
    assert.match(error.hint ?? '', /exempt your user from the policy other/);
  });
});
