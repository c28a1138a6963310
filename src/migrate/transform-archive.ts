/**
 * Turns the source archive into the migration archive: the objects the target should receive, in
 * target form (node names mapped, the hybrid split applied). Two streaming passes over the source
 * archive: one to learn the facts (nodes, hosts, blocks, pools), one to transform and write. The
 * source archive is left as it is: it is the rollback point.
 */
import type { ArchiveWriteResult } from '../archive/index.js';
import { createArchiveWriter, readArchive } from '../archive/index.js';
import { findDerivation } from '../model/derived.js';
import type { CalicoResource } from '../model/resource.js';
import { describeRef, refOf } from '../model/resource.js';
import type { HybridContext } from './hybrid-context.js';
import { buildHybridContext } from './hybrid-context.js';
import { createHybridFacts, learnFromObject } from './hybrid-facts.js';
import type { NodeMapEntry } from './node-map-file.js';
import type { MigrationDirection, NodeMap } from './node-map.js';
import { buildKddToEtcdNodeMap, listRenames } from './node-map.js';
import type { PoolAssessment } from './pool-risks.js';
import { assessPools } from './pool-risks.js';
import { transformForEtcd } from './transform-for-etcd.js';
import { transformForKdd } from './transform-for-kdd.js';

/** Inputs of `transformArchive`. */
export interface TransformOptions {
  sourcePath: string;
  label: string;
  direction: MigrationDirection;
  nodeMapEntries: readonly NodeMapEntry[];
  nodeMapFile?: string;
  /** Where to write the migration archive. */
  targetPath: string;
  tool: { name: string; version: string };
}

/** An object left out of the target, and why. */
export interface LeftOut {
  kind: string;
  namespace?: string;
  name: string;
  reason: string;
}

/** What the transform did. */
export interface TransformSummary {
  direction: MigrationDirection;
  renames: { from: string; to: string; how: string }[];
  /** Objects whose identity changed with their node (e.g. `node.<name>` configs, affinities). */
  renamedObjects: { from: string; to: string }[];
  /** Objects written to the migration archive, per kind. */
  moving: Record<string, number>;
  /** How many of them are derived (KDD derives them itself; etcd needs them written). */
  movingDerived: number;
  /** Objects that stay in the source (OpenStack side) or are left out, listed by name. */
  staying: LeftOut[];
  /** Raw entries of the source (they never move). */
  rawStaying: number;
  pools?: PoolAssessment;
  /** The source's ClusterInformation (its cluster GUID is carried over after the import). */
  clusterInformation?: CalicoResource;
  warnings: string[];
  archive: ArchiveWriteResult;
}

/** Learns from the source archive, then writes the migration archive. */
export async function transformArchive(options: TransformOptions): Promise<TransformSummary> {
  const learned = await learn(options);
  const summary: Omit<TransformSummary, 'archive'> = {
    direction: options.direction,
    renames: listRenames(learned.nodeMap).map(({ from, to, source }) => ({
      from,
      to,
      how: source.type === 'file' ? `--node-map line ${source.line}` : 'k8s orchestrator reference',
    })),
    renamedObjects: [],
    moving: {},
    movingDerived: 0,
    staying: [],
    rawStaying: 0,
    ...(learned.context ? { pools: assessPools(learned.context) } : {}),
    warnings: [...(learned.context?.warnings ?? learned.nodeMap.warnings)],
  };
  const writer = await createArchiveWriter(options.targetPath, { tool: options.tool });
  try {
    let manifestSource = {};
    for await (const item of readArchive(options.sourcePath, { label: options.label })) {
      if (item.type === 'raw') summary.rawStaying++;
      else if (item.type === 'manifest') manifestSource = item.manifest.source;
      else if (item.type === 'resource')
        await transformOne(item.resource, learned, summary, (resource) =>
          writer.writeResource(resource, { derived: findDerivation(resource) !== undefined }),
        );
    }
    const archive = await writer.finish({
      source: {
        ...(manifestSource as { type: string; endpoints: string[] }),
        transformedFor: options.direction,
      },
      warnings: summary.warnings,
    });
    return { ...summary, archive };
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
}

interface Learned {
  nodeMap: NodeMap;
  /** etcd -> KDD only. */
  context?: HybridContext;
}

async function learn(options: TransformOptions): Promise<Learned> {
  if (options.direction === 'etcd-to-kdd') {
    const facts = createHybridFacts();
    for await (const item of readArchive(options.sourcePath, { label: options.label })) {
      if (item.type === 'resource') learnFromObject(facts, item.resource);
    }
    const context = buildHybridContext(facts, options.nodeMapEntries, options.nodeMapFile);
    return { nodeMap: context.nodeMap, context };
  }
  const nodes = new Set<string>();
  for await (const item of readArchive(options.sourcePath, { label: options.label })) {
    if (item.type === 'resource' && item.resource.kind === 'Node')
      nodes.add(item.resource.metadata.name);
  }
  return { nodeMap: buildKddToEtcdNodeMap(options.nodeMapEntries, nodes, options.nodeMapFile) };
}

async function transformOne(
  resource: CalicoResource,
  learned: Learned,
  summary: Omit<TransformSummary, 'archive'>,
  write: (resource: CalicoResource) => Promise<boolean>,
): Promise<void> {
  const ref = refOf(resource);
  const leaveOut = (reason: string): void => {
    summary.staying.push({ ...ref, reason });
  };
  if (resource.kind === 'ClusterInformation') {
    // The target keeps its own ClusterInformation (it holds the lock); the cluster GUID is
    // carried over after the import, as calicoctl's import does (migrate/import.go).
    summary.clusterInformation = resource;
    return;
  }
  const transformed = learned.context
    ? transformForKdd(resource, learned.context)
    : transformForEtcd(resource, learned.nodeMap);
  if (transformed.action === 'stay') return leaveOut(transformed.classification.reason);
  if (transformed.action === 'skip') return leaveOut(transformed.reason ?? 'not written into etcd');
  const identity = transformed.rename?.identity;
  if (identity)
    summary.renamedObjects.push({ from: describeRef(identity.from), to: describeRef(identity.to) });
  if (!(await write(transformed.resource))) {
    return leaveOut(
      `after renaming nodes it collides with another object (${describeRef(refOf(transformed.resource))})`,
    );
  }
  summary.moving[resource.kind] = (summary.moving[resource.kind] ?? 0) + 1;
  if (findDerivation(transformed.resource)) summary.movingDerived++;
}
