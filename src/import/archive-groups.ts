/**
 * Reads an archive's objects kind by kind, in import order. Archives written by export are already
 * grouped in that order, which takes one pass; an archive in another order (another version's
 * kinds table) is read once per kind instead, so dependencies are still written first.
 */
import { readArchive } from '../archive/index.js';
import type { KindInfo } from '../model/kinds.js';
import { compareImportOrder, findKind } from '../model/kinds.js';
import type { CalicoResource, RawEntry } from '../model/resource.js';

/** One kind's objects. */
export interface KindGroup {
  kind: KindInfo;
  objects: AsyncIterable<CalicoResource>;
}

/** The kinds an archive holds (from its summary), in import order. */
export function orderKinds(kinds: Iterable<string>): KindInfo[] {
  return [...kinds].map((kind) => findKind(kind)!).sort(compareImportOrder);
}

/**
 * Streams the archive's objects grouped by kind in import order. `archiveKinds` is the kind order
 * the archive holds (its validated summary); `path` must be re-readable (a file). Each group must
 * be read to its end before the next one is taken.
 */
export async function* readKindGroups(
  path: string,
  archiveKinds: string[],
  label: string,
): AsyncGenerator<KindGroup> {
  const ordered = orderKinds(archiveKinds);
  if (!ordered.every((kind, index) => kind.kind === archiveKinds[index])) {
    for (const kind of ordered)
      yield { kind, objects: filterKind(readResources(path, label), kind) };
    return;
  }
  const source = readResources(path, label)[Symbol.asyncIterator]();
  let next = await source.next();
  while (!next.done) {
    const kind = findKind(next.value.kind)!;
    const group = async function* (): AsyncGenerator<CalicoResource> {
      while (!next.done && next.value.kind === kind.kind) {
        yield next.value;
        next = await source.next();
      }
    };
    yield { kind, objects: group() };
    // Skip what the consumer left unread of this kind.
    while (!next.done && next.value.kind === kind.kind) next = await source.next();
  }
}

async function* readResources(path: string, label: string): AsyncGenerator<CalicoResource> {
  for await (const item of readArchive(path, { label }))
    if (item.type === 'resource') yield item.resource;
}

async function* filterKind(
  objects: AsyncIterable<CalicoResource>,
  kind: KindInfo,
): AsyncGenerator<CalicoResource> {
  for await (const object of objects) if (object.kind === kind.kind) yield object;
}

/** Streams the archive's raw entries. */
export async function* readRawEntries(path: string, label: string): AsyncGenerator<RawEntry> {
  for await (const item of readArchive(path, { label })) if (item.type === 'raw') yield item.raw;
}
