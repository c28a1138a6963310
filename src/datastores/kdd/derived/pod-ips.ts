/**
 * A pod's IP networks as KDD derives them, and the two annotations that are read against them
 * (floating IPs, allowed source prefixes). Source:
 * libcalico-go/lib/backend/k8s/conversion/conversion.go (getPodIPs) and
 * libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go (floating IP block,
 * HandleSourceIPSpoofingAnnotation).
 */
import type { JsonObject } from '../../../model/json.js';
import { ANNOTATION_AWS_POD_IPS, ANNOTATION_POD_IP, ANNOTATION_POD_IPS } from './constants.js';
import type { GoIpNet } from './go-ipnet.js';
import { parseGoCidr, parseGoCidrOrIp } from './go-ipnet.js';
import { arrayField, objectField, stringField } from './k8s-fields.js';

/** A conversion step's value, or the error that makes Calico fail the whole pod. */
export type Step<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * The pod's IPs (getPodIPs), from the first non-empty source in this order: `status.podIPs`,
 * `status.podIP`, annotation `cni.projectcalico.org/podIPs` (comma-separated),
 * `cni.projectcalico.org/podIP`, `vpc.amazonaws.com/pod-ips` (comma-separated). Each entry is a
 * CIDR or a bare address (`cnet.ParseCIDROrIP`); one unparsable entry fails the pod.
 */
export function podIpNetworks(
  pod: JsonObject,
  annotations: Record<string, string>,
): Step<GoIpNet[]> {
  const status = objectField(pod.status);
  const statusIps = arrayField(status.podIPs);
  let texts: string[];
  if (statusIps.length > 0) texts = statusIps.map((entry) => stringField(objectField(entry).ip));
  else if (stringField(status.podIP) !== '') texts = [stringField(status.podIP)];
  else if (annotations[ANNOTATION_POD_IPS]) texts = annotations[ANNOTATION_POD_IPS].split(',');
  else if (annotations[ANNOTATION_POD_IP]) texts = [annotations[ANNOTATION_POD_IP]];
  else if (annotations[ANNOTATION_AWS_POD_IPS])
    texts = annotations[ANNOTATION_AWS_POD_IPS].split(',');
  else return { ok: true, value: [] };
  const nets: GoIpNet[] = [];
  for (const text of texts) {
    const net = parseGoCidrOrIp(text);
    if (!net) return { ok: false, error: `failed to parse pod IP ${JSON.stringify(text)}` };
    nets.push(net);
  }
  return { ok: true, value: nets };
}

/**
 * `spec.ipNATs` from the `cni.projectcalico.org/floatingIPs` annotation (a JSON list of
 * addresses), read only when the annotation is present and the pod has IPs. An external address
 * containing `:` maps to the pod's IPv6 address, any other to its IPv4 address, and is dropped when
 * the pod has no address of that family. Fails the pod when the annotation is not a JSON list of
 * strings (an empty value included) or when a pod IP is not a single address (/32, /128).
 */
export function floatingIpNats(
  annotation: string | undefined,
  podNets: GoIpNet[],
): Step<{ internalIP: string; externalIP: string }[]> {
  if (annotation === undefined || podNets.length === 0) return { ok: true, value: [] };
  const list = parseStringList(annotation);
  if (!list.ok) return list;
  let v4: GoIpNet | undefined;
  let v6: GoIpNet | undefined;
  // The last address of each family wins, as in the Go loop.
  for (const net of podNets) {
    const expected = net.isIpv4 ? 32 : 128;
    if (net.maskOnes !== expected) {
      return {
        ok: false,
        error: `PodIP ${net.text} is not a valid IPv${net.isIpv4 ? 4 : 6}: Mask size is ${net.maskOnes}, not ${expected}`,
      };
    }
    if (net.isIpv4) v4 = net;
    else v6 = net;
  }
  const nats: { internalIP: string; externalIP: string }[] = [];
  for (const external of list.value) {
    const target = external.includes(':') ? v6 : v4;
    if (target) nats.push({ internalIP: target.address, externalIP: external });
  }
  return { ok: true, value: nats };
}

/**
 * `spec.allowSpoofedSourcePrefixes` from `cni.projectcalico.org/allowedSourcePrefixes`: a JSON list
 * of CIDRs, each printed in Go's masked form (`1.1.1.1/16` -> `1.1.0.0/16`). An absent or empty
 * annotation gives none; invalid JSON or a bare address / invalid CIDR fails the pod.
 */
export function allowedSourcePrefixes(annotation: string | undefined): Step<string[]> {
  if (annotation === undefined || annotation === '') return { ok: true, value: [] };
  const list = parseStringList(annotation);
  if (!list.ok) return list;
  const prefixes: string[] = [];
  for (const text of list.value) {
    const net = parseGoCidr(text);
    if (!net) return { ok: false, error: `failed to parse ${JSON.stringify(text)} as a CIDR` };
    prefixes.push(net.text);
  }
  return { ok: true, value: prefixes };
}

/**
 * `json.Unmarshal` into `[]string`: `null` is an empty list, `null` elements read as `''`; anything
 * else that is not a list of strings is an error.
 */
function parseStringList(text: string): Step<string[]> {
  const fail = { ok: false as const, error: `failed to parse ${JSON.stringify(text)} as JSON` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail;
  }
  if (value === null) return { ok: true, value: [] };
  if (!Array.isArray(value) || value.some((v) => v !== null && typeof v !== 'string')) return fail;
  return { ok: true, value: value.map((v: string | null) => v ?? '') };
}
