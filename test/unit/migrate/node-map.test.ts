import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CalicoNodeFact } from '../../../src/migrate/node-map.js';
import {
  buildEtcdToKddNodeMap,
  buildKddToEtcdNodeMap,
  findK8sNodeName,
  listRenames,
  lookupOf,
} from '../../../src/migrate/node-map.js';
import { parseNodeMapFile } from '../../../src/migrate/node-map-file.js';
import { ConfigError } from '../../../src/model/errors.js';
import { node, obj } from './hybrid-fixture.js';

const facts = (...nodes: [string, string?][]): CalicoNodeFact[] =>
  nodes.map(([name, k8sName]) => (k8sName ? { name, k8sName } : { name }));

describe('findK8sNodeName', () => {
  const cases: [string, ReturnType<typeof obj>, string | undefined, string[]][] = [
    ['k8s orchRef', node('a.lan', 'a'), 'a', []],
    ['no orchRefs', node('compute-1'), undefined, []],
    [
      'other orchestrators only',
      obj('Node', 'n', { orchRefs: [{ nodeName: 'n', orchestrator: 'openstack' }] }),
      undefined,
      [],
    ],
    [
      'empty k8s nodeName is skipped',
      obj('Node', 'n', {
        orchRefs: [{ orchestrator: 'k8s' }, { nodeName: 'm', orchestrator: 'k8s' }],
      }),
      'm',
      [],
    ],
    [
      'first of several k8s orchRefs, the others reported',
      obj('Node', 'n', {
        orchRefs: [
          { nodeName: 'x', orchestrator: 'k8s' },
          { nodeName: 'x', orchestrator: 'k8s' },
          { nodeName: 'y', orchestrator: 'k8s' },
        ],
      }),
      'x',
      ['y'],
    ],
  ];
  for (const [title, resource, expected, others] of cases) {
    it(title, () => {
      const seen: string[] = [];
      assert.equal(findK8sNodeName(resource, seen), expected);
      assert.deepEqual(seen, others);
    });
  }
});

describe('buildEtcdToKddNodeMap', () => {
  it('maps nodes with a k8s orchRef, including unchanged names, and leaves the others out', () => {
    const map = buildEtcdToKddNodeMap(facts(['w1.lan', 'w1'], ['m0', 'm0'], ['compute-1']));
    assert.equal(map.direction, 'etcd-to-kdd');
    assert.deepEqual(
      [...map.names],
      [
        ['w1.lan', 'w1'],
        ['m0', 'm0'],
      ],
    );
    assert.deepEqual(listRenames(map), [{ from: 'w1.lan', to: 'w1', source: { type: 'orchRef' } }]);
    const lookup = lookupOf(map);
    assert.equal(lookup('w1.lan'), 'w1');
    assert.equal(lookup('m0'), undefined);
    assert.equal(lookup('compute-1'), undefined);
    assert.deepEqual(map.warnings, []);
  });

  it('lets the file override orchRefs and add nodes without one', () => {
    const entries = parseNodeMapFile('w1.lan: worker-one\ncompute-1: compute-1\n', 'map');
    const map = buildEtcdToKddNodeMap(facts(['w1.lan', 'w1'], ['compute-1']), entries, 'map');
    assert.deepEqual(
      [...map.names],
      [
        ['w1.lan', 'worker-one'],
        ['compute-1', 'compute-1'],
      ],
    );
    assert.deepEqual(map.sources.get('w1.lan'), { type: 'file', line: 1 });
    assert.deepEqual(map.sources.get('compute-1'), { type: 'file', line: 2 });
  });

  it('rejects two Calico nodes with one k8s name, naming where each came from', () => {
    assert.throws(
      () => buildEtcdToKddNodeMap(facts(['old.lan', 'w1'], ['w1.lan', 'w1'])),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          'Calico nodes old.lan (orchRef) and w1.lan (orchRef) both map to Kubernetes node w1',
    );
    const entries = parseNodeMapFile('x.lan w1\n', 'map');
    assert.throws(
      () => buildEtcdToKddNodeMap(facts(['w1.lan', 'w1'], ['x.lan']), entries, 'map'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          'Calico nodes w1.lan (orchRef) and x.lan (map:1) both map to Kubernetes node w1',
    );
  });

  it('accepts a file that resolves a shared orchRef', () => {
    const entries = parseNodeMapFile('old.lan w1-old\n', 'map');
    const map = buildEtcdToKddNodeMap(facts(['old.lan', 'w1'], ['w1.lan', 'w1']), entries);
    assert.equal(map.names.get('old.lan'), 'w1-old');
    assert.equal(map.names.get('w1.lan'), 'w1');
  });

  it('warns about file entries for unknown nodes and several k8s orchRefs', () => {
    const entries = parseNodeMapFile('gone.lan gone\n', 'map');
    const map = buildEtcdToKddNodeMap(
      [{ name: 'n', k8sName: 'x', conflictingK8sNames: ['y'] }],
      entries,
      'map',
    );
    assert.deepEqual(map.warnings, [
      'Calico node n has several k8s orchRefs (x, y); using x, as kube-controllers does',
      'map:1: no Calico node gone.lan in the source; the entry only renames its leftover references',
    ]);
    assert.equal(map.names.get('gone.lan'), 'gone');
  });
});

describe('buildKddToEtcdNodeMap', () => {
  it('is empty (identity) without a file', () => {
    assert.equal(buildKddToEtcdNodeMap().names.size, 0);
  });

  it('reads the file right to left', () => {
    const entries = parseNodeMapFile('w1.lan: w1\nw2.lan: w2\n', 'map');
    const map = buildKddToEtcdNodeMap(entries, new Set(['w1', 'w2', 'm0']));
    assert.equal(map.direction, 'kdd-to-etcd');
    assert.deepEqual(listRenames(map), [
      { from: 'w1', to: 'w1.lan', source: { type: 'file', line: 1 } },
      { from: 'w2', to: 'w2.lan', source: { type: 'file', line: 2 } },
    ]);
    assert.deepEqual(map.warnings, []);
  });

  it('rejects a new name that a node keeping its name already has', () => {
    const entries = parseNodeMapFile('m0 w1\n', 'map');
    assert.throws(
      () => buildKddToEtcdNodeMap(entries, new Set(['w1', 'm0']), 'map'),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message ===
          'map:1: Kubernetes node w1 would become Calico node m0, which is the name of another node that keeps its name',
    );
    // A swap is fine: both nodes are renamed.
    const swap = buildKddToEtcdNodeMap(parseNodeMapFile('a b\nb a\n', 'map'), new Set(['a', 'b']));
    assert.deepEqual(
      [...swap.names],
      [
        ['b', 'a'],
        ['a', 'b'],
      ],
    );
  });

  it('warns about entries for Kubernetes nodes the source does not have', () => {
    const map = buildKddToEtcdNodeMap(parseNodeMapFile('x.lan x\n', 'map'), new Set(['w1']), 'map');
    assert.deepEqual(map.warnings, [
      'map:1: no Kubernetes node x in the source; the entry only renames its leftover references',
    ]);
  });
});
