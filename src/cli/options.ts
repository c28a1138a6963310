/**
 * Flags shared by several commands, declared once: connection settings (the calicoctl names) and
 * output verbosity.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ConnectionFlags } from './config/resolve-connection.js';
import type { LogLevel } from '../report/log.js';

/** Adds the connection flags (they override the config file and the environment). */
export function addConnectionOptions(command: Command): Command {
  return command
    .option(
      '--config <file>',
      'calicoctl configuration file (CalicoAPIConfig); default: the environment, else /etc/calico/calicoctl.cfg',
    )
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated (ETCD_ENDPOINTS)')
    .option('--etcd-ca-cert-file <file>', 'CA certificate of the etcd server (ETCD_CA_CERT_FILE)')
    .option('--etcd-cert-file <file>', 'etcd client certificate (ETCD_CERT_FILE)')
    .option('--etcd-key-file <file>', 'etcd client key (ETCD_KEY_FILE)')
    .option('--etcd-username <name>', 'etcd user (ETCD_USERNAME)')
    .option('--etcd-password <password>', 'etcd password (ETCD_PASSWORD; prefer the variable)')
    .option('--kubeconfig <file>', 'kubeconfig of the Kubernetes API datastore (KUBECONFIG)')
    .option('--context <name>', 'kubeconfig context to use (K8S_CURRENT_CONTEXT)')
    .addOption(
      new Option(
        '--crd-mode <mode>',
        'KDD storage: auto detects it as Calico does (CALICO_API_GROUP)',
      ).choices(['auto', 'v1', 'v3']),
    );
}

/** Adds `--quiet` and `--debug`. */
export function addOutputOptions(command: Command): Command {
  return command
    .option('-q, --quiet', 'print only errors and warnings')
    .option('--debug', 'print debug output and error stacks');
}

/** The connection flags of parsed options. */
export function readConnectionFlags(options: Record<string, unknown>): ConnectionFlags {
  const text = (name: string) =>
    typeof options[name] === 'string' ? (options[name] as string) : undefined;
  return {
    config: text('config'),
    etcdEndpoints: text('etcdEndpoints'),
    etcdCaCertFile: text('etcdCaCertFile'),
    etcdCertFile: text('etcdCertFile'),
    etcdKeyFile: text('etcdKeyFile'),
    etcdUsername: text('etcdUsername'),
    etcdPassword: text('etcdPassword'),
    kubeconfig: text('kubeconfig'),
    context: text('context'),
    crdMode: text('crdMode'),
  };
}

/** The log level of parsed options. */
export function readLogLevel(options: Record<string, unknown>): LogLevel {
  if (options.debug) return 'debug';
  return options.quiet ? 'quiet' : 'info';
}
