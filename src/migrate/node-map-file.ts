/**
 * The `--node-map <file>` format: Calico node name -> Kubernetes node name, one entry per Calico
 * node. Accepted as a YAML or JSON object (`{calicoName: k8sName}`) or as plain text with two
 * whitespace-separated columns per line (`#` starts a comment). The same file serves both
 * directions: etcd -> KDD reads it left to right, KDD -> etcd right to left, so a target name may
 * appear only once.
 */
import type { ScalarEvent } from 'js-yaml';
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException } from 'js-yaml';
import { ConfigError } from '../model/errors.js';
import { explainInvalidNodeName } from './node-names.js';

/** One line of a node map file. */
export interface NodeMapEntry {
  /** The Calico node name (the name in etcd). */
  calicoName: string;
  /** The Kubernetes node name (the name in KDD). */
  k8sName: string;
  /** 1-based line of the entry in the file. */
  line: number;
}

const FORMAT_HINT =
  'Write one entry per Calico node: a YAML/JSON object {"<calico-node>": "<k8s-node>"}, or lines "<calico-node> <k8s-node>".';

/**
 * Parses and validates a node map file. Throws `ConfigError` naming `source` and the line for a
 * syntax error, an empty or invalid (not DNS-1123) name, a Calico node listed twice, or two Calico
 * nodes mapped onto one Kubernetes node.
 */
export function parseNodeMapFile(text: string, source: string): NodeMapEntry[] {
  const entries = looksLikeYaml(text)
    ? readYamlEntries(text, source)
    : readColumnEntries(text, source);
  if (entries.length === 0) {
    throw new ConfigError(`${source}: the node map has no entries`, FORMAT_HINT);
  }
  validateEntries(entries, source);
  return entries;
}

/** Node names contain no `:` and no `{`, so a line that does is YAML or JSON. */
function looksLikeYaml(text: string): boolean {
  return text
    .split('\n')
    .map(stripComment)
    .some((line) => line.includes(':') || line.trimStart().startsWith('{'));
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash < 0 ? line : line.slice(0, hash);
}

function readColumnEntries(text: string, source: string): NodeMapEntry[] {
  const entries: NodeMapEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = stripComment(raw).trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) return;
    if (fields.length !== 2) {
      throw new ConfigError(
        `${source}:${index + 1}: expected two columns "<calico-node> <k8s-node>", found ${fields.length}`,
        FORMAT_HINT,
      );
    }
    entries.push({ calicoName: fields[0]!, k8sName: fields[1]!, line: index + 1 });
  });
  return entries;
}

/** Plain scalars YAML reads as null: an entry `name:` or `name: ~` has no target. */
const YAML_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/**
 * Walks the YAML event stream (not the loaded object) so that every entry keeps its line, and so
 * that a duplicate key is reported instead of silently overwritten.
 */
function readYamlEntries(text: string, source: string): NodeMapEntry[] {
  let events;
  try {
    events = parseEvents(text, { filename: source });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark ? `:${error.mark.line + 1}` : '';
    throw new ConfigError(`${source}${line}: not valid YAML or JSON: ${error.reason}`, FORMAT_HINT);
  }
  const documents = events.filter((event) => event.type === EVENT_ID.DOCUMENT).length;
  if (documents > 1) {
    throw new ConfigError(`${source}: more than one YAML document`, FORMAT_HINT);
  }
  if (events[1] && events[1].type !== EVENT_ID.MAPPING) {
    throw new ConfigError(`${source}:1: the node map must be an object`, FORMAT_HINT);
  }
  const lineAt = lineFinder(text);
  const entries: NodeMapEntry[] = [];
  // DOCUMENT, MAPPING, then key/value scalar pairs until the mapping's POP.
  for (let i = 2; i < events.length && events[i]!.type !== EVENT_ID.POP; i += 2) {
    const key = events[i]!;
    const value = events[i + 1];
    if (key.type !== EVENT_ID.SCALAR) {
      throw new ConfigError(`${source}: node names must be plain strings`, FORMAT_HINT);
    }
    const line = lineAt(key.valueStart);
    if (!value || value.type !== EVENT_ID.SCALAR) {
      throw new ConfigError(
        `${source}:${line}: the Kubernetes node name must be a string, not a list, object or alias`,
        FORMAT_HINT,
      );
    }
    entries.push({
      calicoName: scalarText(text, key),
      k8sName: scalarText(text, value),
      line,
    });
  }
  return entries;
}

function scalarText(text: string, scalar: ScalarEvent): string {
  const value = getScalarValue(text, scalar);
  return scalar.style === SCALAR_STYLE.PLAIN && YAML_NULLS.has(value) ? '' : value;
}

/** Offset -> 1-based line number. */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
    return line + 1;
  };
}

function validateEntries(entries: NodeMapEntry[], source: string): void {
  const bySource = new Map<string, NodeMapEntry>();
  const byTarget = new Map<string, NodeMapEntry>();
  for (const entry of entries) {
    const where = `${source}:${entry.line}`;
    const calicoProblem = explainInvalidNodeName(entry.calicoName);
    if (calicoProblem) {
      throw new ConfigError(`${where}: Calico node name "${entry.calicoName}": ${calicoProblem}`);
    }
    const k8sProblem = explainInvalidNodeName(entry.k8sName);
    if (k8sProblem) {
      throw new ConfigError(
        `${where}: Kubernetes node name "${entry.k8sName}" for ${entry.calicoName}: ${k8sProblem}`,
      );
    }
    const sameSource = bySource.get(entry.calicoName);
    if (sameSource) {
      throw new ConfigError(
        `${where}: Calico node ${entry.calicoName} is already mapped on line ${sameSource.line}`,
      );
    }
    const sameTarget = byTarget.get(entry.k8sName);
    if (sameTarget) {
      throw new ConfigError(
        `${where}: Calico nodes ${sameTarget.calicoName} (line ${sameTarget.line}) and ${entry.calicoName} both map to Kubernetes node ${entry.k8sName}`,
        'A Kubernetes node holds the data of one Calico node only.',
      );
    }
    bySource.set(entry.calicoName, entry);
    byTarget.set(entry.k8sName, entry);
  }
}
