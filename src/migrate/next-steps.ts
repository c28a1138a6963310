/**
 * The operator-facing instructions of a migration: what to do next after success, and how to
 * resume or roll back when a run stops part-way. They are printed before the risky steps too, so
 * that even a killed run leaves its instructions on the screen.
 */
import type { MigrationDirection } from './node-map.js';

/** What the instructions need to know. */
export interface InstructionContext {
  direction: MigrationDirection;
  /** The exact command line of this run, to resume by running it again. */
  command: string;
  /** The source archive (rollback point). */
  archive: string;
  /** The migration archive (what is imported). */
  migrationArchive: string;
  /** `--by` of the locks, if given. */
  by?: string;
  /**
   * The connection flags this run was given for each side (already shell-quoted, e.g.
   * ` --etcd-endpoints https://etcd:2379`), added to the commands printed for that side so they
   * reach the same datastore; empty when the connection comes from the environment or a config file.
   */
  connectionFlags?: { etcd: string; kdd: string };
}

/** A word as a POSIX shell reads it back unchanged: bare when safe, else single-quoted. */
export function quoteShellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

const side = (direction: MigrationDirection, which: 'source' | 'target') =>
  (direction === 'etcd-to-kdd') === (which === 'source') ? 'etcd' : 'kdd';

function byFlag(context: InstructionContext): string {
  return context.by ? ` --by ${quoteShellWord(context.by)}` : '';
}

/** ` --datastore <side>` (or ` --to <side>`) with this run's connection flags for that side. */
function sideFlags(context: InstructionContext, flag: string, which: 'etcd' | 'kdd'): string {
  return ` ${flag} ${which}${context.connectionFlags?.[which] ?? ''}`;
}

/** How to resume or roll back a run that stops after the source was locked. */
export function recoveryInstructions(context: InstructionContext): string[] {
  const source = side(context.direction, 'source');
  const target = side(context.direction, 'target');
  return [
    'If this run stops before it finishes:',
    `  resume:   run the same command again (locks are re-entrant, the import converges):`,
    `              ${context.command}`,
    `            or import the migration archive by hand: calico-migrate import ${quoteShellWord(context.migrationArchive)}${sideFlags(context, '--to', target)}`,
    `  rollback: calico-migrate unlock${sideFlags(context, '--datastore', source)}${byFlag(context)}    (the source was never changed; Calico resumes on it)`,
    `            and keep the target locked and unused (calico-migrate status shows both sides); the source archive ${context.archive} is the rollback point`,
  ];
}

/** What to do after a successful migration. */
export function nextSteps(context: InstructionContext, targetUnlocked: boolean): string[] {
  const lines =
    context.direction === 'etcd-to-kdd'
      ? [
          'Next steps (the Kubernetes side now lives in the Kubernetes API datastore):',
          '  1. Switch the Calico components of the Kubernetes cluster to the Kubernetes datastore: reinstall Calico',
          '     with the Kubernetes-datastore manifest or operator (calico-node, calico-typha, calico-kube-controllers',
          '     with DATASTORE_TYPE=kubernetes), then wait: kubectl rollout status daemonset/calico-node -n <calico namespace>',
          '  2. Point calicoctl and scripts at KDD: DATASTORE_TYPE=kubernetes, KUBECONFIG=<admin kubeconfig>',
          `  3. ${targetUnlocked ? 'KDD is already unlocked (--unlock-target).' : `Unlock KDD so new pods can start: calico-migrate unlock${sideFlags(context, '--datastore', 'kdd')}${byFlag(context)}`}`,
          '  4. OpenStack hosts keep using etcd: once no Kubernetes component reads etcd any more (stop calico-kube-controllers',
          `     in etcd mode), unlock etcd so they resume: calico-migrate unlock${sideFlags(context, '--datastore', 'etcd')}${byFlag(context)}`,
          '     The Kubernetes-side objects stay in etcd as a stale copy; nothing was deleted from it.',
        ]
      : [
          'Next steps (Calico data now lives in etcd as well):',
          '  1. Switch the Calico components to the etcd datastore (DATASTORE_TYPE=etcdv3, ETCD_ENDPOINTS and certificates',
          '     for calico-node, calico-kube-controllers and the CNI configuration), then wait for the rollout.',
          '  2. Point calicoctl and scripts at etcd: DATASTORE_TYPE=etcdv3, ETCD_ENDPOINTS=...',
          `  3. ${targetUnlocked ? 'etcd is already unlocked (--unlock-target).' : `Unlock etcd so new pods can start: calico-migrate unlock${sideFlags(context, '--datastore', 'etcd')}${byFlag(context)}`}`,
          '  4. The Kubernetes API datastore stays locked and unchanged; remove its Calico CRDs only once you are sure.',
        ];
  return [
    ...lines,
    `Rollback, until you switch components: calico-migrate unlock${sideFlags(context, '--datastore', side(context.direction, 'source'))}${byFlag(context)}`,
    `  (the source archive ${context.archive} holds the state before the migration).`,
  ];
}
