/**
 * The checks every backend's archive must pass, as `it` cases: exit status and summary line, the
 * exact set of objects, one case per expected object (deep equality with its canonical form),
 * derived marks and per-kind counts in the manifest, and import order of the kinds.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { listExportedKinds } from '../../../src/model/kinds.js';
import type { CalicoResource } from '../../../src/model/resource.js';
import type { DatasetEntry } from '../../fixtures/dataset/index.js';
import { identityOf } from '../../fixtures/dataset/index.js';
import type { CliResult } from '../../helpers/run-cli.js';
import type { ArchiveContents } from './support.js';
import { diffIdentities } from './support.js';

/** The kinds export writes, in import order. */
export const EXPORTED_KINDS = listExportedKinds().map((kind) => kind.kind);

const derivedIn = (entries: readonly DatasetEntry[]) =>
  new Set(entries.filter((entry) => entry.derived).map((entry) => identityOf(entry.object)));

/** What one backend's export produced, and the objects it must hold. */
export interface BackendExport {
  result: CliResult;
  archive: ArchiveContents;
  expected: Map<string, CalicoResource>;
}

/** Declares the checks of one backend's archive; `get` returns it once the export has run. */
export function describeArchiveChecks(
  get: () => BackendExport,
  entries: readonly DatasetEntry[],
): void {
  it('exits 0 with a one-line summary on stderr and nothing on stdout', () => {
    const { result } = get();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.length, 0);
    assert.match(result.stderr, /^exported \d+ objects \(\d+ derived, \d+ raw entries\) from /m);
  });

  it('holds exactly the expected objects', () => {
    const { archive, expected } = get();
    const { missing, unexpected } = diffIdentities(archive.objects.keys(), expected.keys());
    assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
  });

  for (const entry of entries) {
    const identity = identityOf(entry.object);
    it(`${identity} equals its canonical form`, () => {
      const { archive, expected } = get();
      const actual = archive.objects.get(identity);
      assert.ok(actual, `${identity} is missing from the archive`);
      assert.deepStrictEqual(actual, expected.get(identity));
    });
  }

  it('marks exactly the derived objects as derived in the manifest', () => {
    const { archive } = get();
    const marked = [...archive.records].filter(([, record]) => record.derived).map(([id]) => id);
    assert.deepEqual(marked.sort(), [...derivedIn(entries)].sort());
    for (const [kind, count] of Object.entries(archive.manifest.counts.kinds)) {
      const ofKind = [...archive.records.values()].filter((record) => record.kind === kind);
      assert.equal(count.total, ofKind.length, `${kind} total`);
      assert.equal(
        count.derived,
        ofKind.filter((record) => record.derived).length,
        `${kind} derived`,
      );
    }
  });

  it('writes kinds in import order', () => {
    const { archive } = get();
    const positions = archive.kindOrder.map((kind) => EXPORTED_KINDS.indexOf(kind));
    assert.ok(
      positions.every((p) => p >= 0),
      'only exported kinds',
    );
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
  });
}
