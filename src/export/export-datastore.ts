/**
 * Export: one consistent read of a datastore into an archive. Kinds are written in import order
 * (src/model/kinds.ts), so an importer can stream the archive in a single pass; every object is in
 * canonical form without server-managed metadata; whatever has no canonical form goes in as a raw
 * entry, so nothing is dropped silently.
 */
import type { ArchiveWriter, ArchiveWriteResult, ManifestSource } from '../archive/index.js';
import type { Datastore, DatastoreDescription, ListedItem } from '../datastores/datastore.js';
import { isDerived } from '../model/derived.js';
import { stringifyJson } from '../model/json.js';
import { listExportedKinds } from '../model/kinds.js';
import { stripServerManaged } from '../model/normalize.js';
import type { CalicoResource } from '../model/resource.js';
import { describeRef, refOf } from '../model/resource.js';
import { describeInvalidFields, findInvalidFields } from '../model/validate-resource.js';
import type { Logger } from '../report/log.js';
import { silentLogger } from '../report/log.js';
import type { Progress } from '../report/progress.js';
import { noProgress } from '../report/progress.js';

/** Inputs of `exportDatastore`. */
export interface ExportOptions {
  source: Datastore;
  writer: ArchiveWriter;
  progress?: Progress;
  logger?: Logger;
}

/** What an export wrote. */
export interface ExportResult {
  source: DatastoreDescription;
  archive: ArchiveWriteResult;
  /** Objects written per kind. */
  counts: Record<string, number>;
  derived: number;
  raw: number;
  warnings: string[];
}

/** Reads every exported kind from `source` and writes the archive; aborts it on any error. */
export async function exportDatastore(options: ExportOptions): Promise<ExportResult> {
  const { source, writer } = options;
  const progress = options.progress ?? noProgress;
  const logger = options.logger ?? silentLogger;
  try {
    const description = await source.describe();
    const snapshot = await source.snapshot();
    const tally = new Tally(writer, logger);
    for (const kind of listExportedKinds()) {
      progress.begin(kind.kind);
      for await (const item of snapshot.list(kind)) {
        await tally.write(item);
        progress.advance();
      }
      progress.end();
    }
    progress.begin('unclaimed entries');
    for await (const item of snapshot.listUnclaimed()) {
      await tally.write(item);
      progress.advance();
    }
    progress.end();
    const sourceRecord: ManifestSource = { ...description, position: snapshot.position() };
    const archive = await writer.finish({
      source: sourceRecord,
      skipped: snapshot.skipped(),
      warnings: tally.finishWarnings(),
    });
    // The writer counted what it wrote; the manifest holds those counts.
    const { kinds, raw } = archive.manifest.counts;
    const perKind = Object.entries(kinds);
    return {
      source: description,
      archive,
      counts: Object.fromEntries(perKind.map(([kind, count]) => [kind, count.total])),
      derived: perKind.reduce((sum, [, count]) => sum + count.derived, 0),
      raw: Object.values(raw).reduce((sum, n) => sum + n, 0),
      warnings: tally.warnings,
    };
  } catch (error) {
    await writer.abort(error);
    throw error;
  } finally {
    progress.close();
  }
}

/** Writes listed items and collects the warnings about them. */
class Tally {
  readonly warnings: string[] = [];
  private invalid = 0;

  constructor(
    private readonly writer: ArchiveWriter,
    private readonly logger: Logger,
  ) {}

  async write(item: ListedItem): Promise<void> {
    if (item.type === 'raw') return this.writer.writeRaw(item.raw);
    const resource = stripServerManaged(item.resource);
    this.checkValid(resource);
    if (await this.writer.writeResource(resource, { derived: isDerived(resource) })) return;
    // Two stored objects with one v3 identity: e.g. a policy under both its old `default.` name
    // and its v3 name (calico-datastore-model.md §5.2). Keep the second one's data, reported.
    const what = describeRef(refOf(resource));
    this.warn(`${what} is stored twice; the second copy is kept as a raw entry`);
    const stored = item.stored ?? {
      source: 'kdd' as const,
      key: `duplicate/${what}`,
      value: Buffer.from(stringifyJson(item.resource)),
    };
    await this.writer.writeRaw({
      ...stored,
      reason: 'second stored copy of an object with the same v3 identity',
    });
  }

  /**
   * Archives an object Calico would refuse as it is (a backup keeps what the source holds), but
   * says so now: an import stops on it unless told to skip it. Warnings name the first few.
   */
  private checkValid(resource: CalicoResource): void {
    const problems = findInvalidFields(resource);
    if (problems.length === 0) return;
    this.invalid++;
    if (this.invalid <= MAX_NAMED_INVALID)
      this.warn(
        `${describeRef(refOf(resource))} would be refused by Calico (an import stops on it): ${describeInvalidFields(problems)}`,
      );
  }

  /** Adds the count of invalid objects not named one by one. */
  finishWarnings(): string[] {
    if (this.invalid > MAX_NAMED_INVALID)
      this.warn(`${this.invalid - MAX_NAMED_INVALID} more object(s) would be refused by Calico`);
    return this.warnings;
  }

  private warn(warning: string): void {
    this.warnings.push(warning);
    this.logger.warn(warning);
  }
}

/** Invalid objects named one by one in the manifest warnings (its head stays small). */
const MAX_NAMED_INVALID = 20;
