/**
 * Pure migration logic (no I/O): the node map, node renaming, the hybrid etcd/OpenStack split, IP
 * pool risks and the per-object transforms of both directions. README.md in this directory
 * explains the rules and lists every node-name field.
 */
export type {
  BlocksBySide,
  PoolAssessment,
  PoolRisk,
  PoolSplit,
  PoolUsage,
  SideCounts,
} from './pool-risks.js';
export { assessPools } from './pool-risks.js';
export { classifyObject } from './classify.js';
export type { Classification, HybridContext, MigrationSide } from './hybrid-context.js';
export { buildHybridContext, classifyHost } from './hybrid-context.js';
export type { BlockFact, HybridFacts, PoolFact } from './hybrid-facts.js';
export { createHybridFacts, learnFromObject } from './hybrid-facts.js';
export type { NodeMapEntry } from './node-map-file.js';
export { parseNodeMapFile } from './node-map-file.js';
export type { CalicoNodeFact, MappingSource, MigrationDirection, NodeMap } from './node-map.js';
export {
  buildEtcdToKddNodeMap,
  buildKddToEtcdNodeMap,
  findK8sNodeName,
  listRenames,
} from './node-map.js';
export type { FieldChange, RenameOutcome } from './rename-nodes.js';
export { renameNodeReferences } from './rename-nodes.js';
export type { EtcdTransform } from './transform-for-etcd.js';
export { explainEndpointNotForEtcd, transformForEtcd } from './transform-for-etcd.js';
export type { KddTransform } from './transform-for-kdd.js';
export { DEFAULT_MOVING_SIDES, transformForKdd } from './transform-for-kdd.js';
