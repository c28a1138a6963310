/**
 * `spec.qosControls` of a derived WorkloadEndpoint, from the pod's bandwidth and QoS annotations.
 * Source: libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go
 * (handleQoSControlsAnnotations, parseAndValidateQty) and constants.go (annotation names);
 * api/pkg/lib/numorstring/dscp.go (DSCP values). Problems are not fatal: Calico logs them and keeps
 * the clamped values, so they come back as warnings.
 */
import type { JsonObject } from '../../../model/json.js';
import { parseQuantityValue } from './quantity.js';

type Field =
  | 'ingressBandwidth'
  | 'egressBandwidth'
  | 'ingressBurst'
  | 'egressBurst'
  | 'ingressPeakrate'
  | 'egressPeakrate'
  | 'ingressMinburst'
  | 'egressMinburst'
  | 'ingressPacketRate'
  | 'egressPacketRate'
  | 'ingressPacketBurst'
  | 'egressPacketBurst'
  | 'ingressMaxConnections'
  | 'egressMaxConnections';

/** internalapi.QoSControls JSON field order (all `omitempty`). */
const FIELD_ORDER: readonly Field[] = [
  'ingressBandwidth',
  'ingressBurst',
  'ingressPeakrate',
  'ingressMinburst',
  'egressBandwidth',
  'egressBurst',
  'egressPeakrate',
  'egressMinburst',
  'ingressPacketRate',
  'ingressPacketBurst',
  'egressPacketRate',
  'egressPacketBurst',
  'ingressMaxConnections',
  'egressMaxConnections',
];

const K = 1000n;
/** [min, max] of each kind of value (workload_endpoint_default.go package variables). */
const BANDWIDTH: [bigint, bigint] = [K, 10n ** 15n];
const BURST: [bigint, bigint] = [K, 4294967295n * 8n];
const PEAKRATE: [bigint, bigint] = [1010n, 101n * 10n ** 13n];
const MINBURST: [bigint, bigint] = [K, 10n ** 8n];
const PACKETS: [bigint, bigint] = [1n, 10n * K];
const CONNECTIONS: [bigint, bigint] = [1n, 4294967295n];
const DEFAULT_BURST = 4n * 1024n ** 3n;
const DEFAULT_PACKET_BURST = 5n;

/** Annotations in the order Calico reads them: the Calico bandwidth ones override the Kubernetes ones. */
const ANNOTATIONS: readonly [string, Field, [bigint, bigint]][] = [
  ['kubernetes.io/ingress-bandwidth', 'ingressBandwidth', BANDWIDTH],
  ['kubernetes.io/egress-bandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBandwidth', 'ingressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/egressBandwidth', 'egressBandwidth', BANDWIDTH],
  ['qos.projectcalico.org/ingressBurst', 'ingressBurst', BURST],
  ['qos.projectcalico.org/egressBurst', 'egressBurst', BURST],
  ['qos.projectcalico.org/ingressPeakrate', 'ingressPeakrate', PEAKRATE],
  ['qos.projectcalico.org/egressPeakrate', 'egressPeakrate', PEAKRATE],
  ['qos.projectcalico.org/ingressMinburst', 'ingressMinburst', MINBURST],
  ['qos.projectcalico.org/egressMinburst', 'egressMinburst', MINBURST],
  ['qos.projectcalico.org/ingressPacketRate', 'ingressPacketRate', PACKETS],
  ['qos.projectcalico.org/egressPacketRate', 'egressPacketRate', PACKETS],
  ['qos.projectcalico.org/ingressPacketBurst', 'ingressPacketBurst', PACKETS],
  ['qos.projectcalico.org/egressPacketBurst', 'egressPacketBurst', PACKETS],
  ['qos.projectcalico.org/ingressMaxConnections', 'ingressMaxConnections', CONNECTIONS],
  ['qos.projectcalico.org/egressMaxConnections', 'egressMaxConnections', CONNECTIONS],
];
const ANNOTATION_DSCP = 'qos.projectcalico.org/dscp';

/** DSCP names and values (numorstring AllDSCPValues). */
const DSCP_VALUES: Record<string, number> = {
  DF: 0,
  EF: 46,
  ...Object.fromEntries(
    [1, 2, 3, 4].flatMap((c) => [1, 2, 3].map((d) => [`AF${c}${d}`, 8 * c + 2 * d])),
  ),
  ...Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((n) => [`CS${n}`, 8 * n])),
};

/** The QoS controls, or `undefined` when none is set, and what Calico would log about them. */
export interface QosResult {
  qosControls: JsonObject | undefined;
  warnings: string[];
}

/** Reads the QoS annotations of a pod as handleQoSControlsAnnotations does. */
export function qosControlsFromAnnotations(annotations: Record<string, string>): QosResult {
  const values = new Map<Field, bigint>();
  const warnings: string[] = [];
  for (const [annotation, field, range] of ANNOTATIONS) {
    const text = annotations[annotation];
    if (text === undefined) continue;
    values.set(field, clampQuantity(text, range, annotation, warnings));
  }
  const get = (field: Field) => values.get(field) ?? 0n;
  // A dependent value without the value it needs is dropped.
  const requires: [Field, Field, string][] = [
    ['ingressBurst', 'ingressBandwidth', 'ingress bandwidth must be specified with ingress burst'],
    ['egressBurst', 'egressBandwidth', 'egress bandwidth must be specified with egress burst'],
  ];
  for (const [dependent, needed, message] of requires) {
    if (get(dependent) !== 0n && get(needed) === 0n) drop(values, dependent, message, warnings);
  }
  for (const dir of ['ingress', 'egress'] as const) {
    const peak = get(`${dir}Peakrate`);
    if (peak !== 0n && (get(`${dir}Bandwidth`) === 0n || get(`${dir}Bandwidth`) >= peak)) {
      drop(
        values,
        `${dir}Peakrate`,
        `${dir} peakrate must be greater than ${dir} bandwidth`,
        warnings,
      );
    }
  }
  for (const dir of ['ingress', 'egress'] as const) {
    if (get(`${dir}Minburst`) !== 0n && get(`${dir}Peakrate`) === 0n) {
      drop(
        values,
        `${dir}Minburst`,
        `${dir} peakrate must be specified with ${dir} minburst`,
        warnings,
      );
    }
    if (get(`${dir}PacketBurst`) !== 0n && get(`${dir}PacketRate`) === 0n) {
      drop(
        values,
        `${dir}PacketBurst`,
        `${dir} packet rate must be specified with packet burst`,
        warnings,
      );
    }
  }
  for (const dir of ['ingress', 'egress'] as const) {
    if (get(`${dir}Bandwidth`) !== 0n && get(`${dir}Burst`) === 0n)
      values.set(`${dir}Burst`, DEFAULT_BURST);
    if (get(`${dir}PacketRate`) !== 0n && get(`${dir}PacketBurst`) === 0n) {
      values.set(`${dir}PacketBurst`, DEFAULT_PACKET_BURST);
    }
  }
  const qos: JsonObject = {};
  for (const field of FIELD_ORDER) {
    const value = get(field);
    if (value !== 0n) qos[field] = Number(value);
  }
  const dscpText = annotations[ANNOTATION_DSCP];
  if (dscpText !== undefined) {
    const dscp = parseDscp(dscpText);
    if (dscp === undefined)
      warnings.push(`${ANNOTATION_DSCP}: ${dscpText} is not a valid DSCP value`);
    else qos.dscp = dscp;
  }
  return { qosControls: Object.keys(qos).length > 0 ? qos : undefined, warnings };
}

/** parseAndValidateQty: the quantity's value clamped to [min, max]; 0 when it does not parse. */
function clampQuantity(
  text: string,
  [min, max]: [bigint, bigint],
  annotation: string,
  warnings: string[],
): bigint {
  const value = parseQuantityValue(text);
  if (value === undefined) {
    warnings.push(`${annotation}: ${JSON.stringify(text)} is not a quantity`);
    return 0n;
  }
  if (value < min || value > max) {
    const bound = value < min ? min : max;
    warnings.push(`${annotation}: ${text} is out of range, set to ${bound}`);
    return bound;
  }
  return value;
}

function drop(values: Map<Field, bigint>, field: Field, message: string, warnings: string[]): void {
  values.set(field, 0n);
  warnings.push(message);
}

/**
 * The JSON value of a valid DSCP annotation (numorstring DSCPFromString + Validate + MarshalJSON),
 * or `undefined`. A known name matched case-insensitively is stored in upper case; other text that
 * passes validation (a number 0-63, or a name with surrounding spaces) is kept; a value that parses
 * as a uint8 prints as a JSON number.
 */
function parseDscp(text: string): number | string | undefined {
  const known = Object.keys(DSCP_VALUES).find((name) => name.toLowerCase() === text.toLowerCase());
  const stored = known ?? text;
  if (/^\d+$/.test(stored) && Number(stored) <= 255) {
    return Number(stored) <= 63 ? Number(stored) : undefined;
  }
  return DSCP_VALUES[stored.trim().toUpperCase()] !== undefined ? stored : undefined;
}
