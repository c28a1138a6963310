import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNodeMapFile } from '../../../src/migrate/node-map-file.js';
import { ConfigError } from '../../../src/model/errors.js';

describe('parseNodeMapFile: accepted formats', () => {
  const expected = [
    { calicoName: 'k8s-worker-1.example.com', k8sName: 'worker-1', line: 2 },
    { calicoName: 'k8s-worker-2.example.com', k8sName: 'worker-2', line: 4 },
  ];
  const cases: [string, string][] = [
    [
      'YAML',
      '# Calico name: Kubernetes name\nk8s-worker-1.example.com: worker-1\n\nk8s-worker-2.example.com: worker-2 # comment\n',
    ],
    [
      'YAML, quoted',
      '---\n"k8s-worker-1.example.com": \'worker-1\'\n\n"k8s-worker-2.example.com": "worker-2"\n',
    ],
    [
      'JSON',
      '{\n  "k8s-worker-1.example.com": "worker-1",\n\n  "k8s-worker-2.example.com": "worker-2"\n}\n',
    ],
    [
      'two columns',
      '# calico  k8s\nk8s-worker-1.example.com   worker-1\n\n\tk8s-worker-2.example.com\tworker-2   # trailing\n',
    ],
  ];
  for (const [format, text] of cases) {
    it(format, () => assert.deepEqual(parseNodeMapFile(text, 'map.yaml'), expected));
  }

  it('keeps names YAML would read as numbers or booleans as strings', () => {
    assert.deepEqual(parseNodeMapFile('123: true\n', 'm'), [
      { calicoName: '123', k8sName: 'true', line: 1 },
    ]);
  });
});

describe('parseNodeMapFile: errors name the file and line', () => {
  const cases: [string, string, RegExp][] = [
    [
      'duplicate target',
      'a: x\nb: y\nc: x\n',
      /^m:3: Calico nodes a \(line 1\) and c both map to Kubernetes node x$/,
    ],
    [
      'duplicate target (text)',
      'a x\nb x\n',
      /^m:2: Calico nodes a \(line 1\) and b both map to Kubernetes node x$/,
    ],
    ['duplicate source', 'a x\nb y\na z\n', /^m:3: Calico node a is already mapped on line 1$/],
    ['duplicate source (YAML)', 'a: x\na: z\n', /^m:2: Calico node a is already mapped on line 1$/],
    ['empty value', 'a: x\nb:\n', /^m:2: Kubernetes node name "" for b: empty name$/],
    ['null value', 'a: ~\n', /^m:1: Kubernetes node name "" for a: empty name$/],
    ['empty key', '"": x\n', /^m:1: Calico node name "": empty name$/],
    [
      'invalid k8s name',
      'a: Worker_1\n',
      /^m:1: Kubernetes node name "Worker_1" for a: not a DNS-1123 subdomain/,
    ],
    [
      'invalid calico name',
      '\n\nA.lan x\n',
      /^m:3: Calico node name "A.lan": not a DNS-1123 subdomain/,
    ],
    ['three columns', 'a x\nb y z\n', /^m:2: expected two columns/],
    ['one column', 'a\n', /^m:1: expected two columns/],
    ['YAML syntax', 'a: x\nb: [y\n', /^m:\d+: not valid YAML or JSON/],
    ['list value', 'a: x\nb: [y]\n', /^m:2: the Kubernetes node name must be a string/],
    ['object value', 'a:\n  b: c\n', /^m:1: the Kubernetes node name must be a string/],
    ['top-level list', '- a: x\n', /^m:1: the node map must be an object$/],
    ['two documents', 'a: x\n---\nb: y\n', /^m: more than one YAML document$/],
    ['empty file', '# nothing\n\n', /^m: the node map has no entries$/],
    ['empty object', '{}\n', /^m: the node map has no entries$/],
  ];
  for (const [problem, text, message] of cases) {
    it(problem, () => {
      assert.throws(
        () => parseNodeMapFile(text, 'm'),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});
