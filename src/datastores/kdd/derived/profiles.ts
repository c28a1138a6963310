/**
 * The Profiles KDD derives from Namespaces and ServiceAccounts, as Calico's v3 API shows them.
 * In etcd mode kube-controllers writes the same specs (kube-controllers/pkg/converter/
 * namespace_converter.go and serviceaccount_converter.go call these very conversions), so a
 * KDD -> etcd migration writes these objects for pods' `kns.` / `ksa.` profile references to resolve.
 * Source: libcalico-go/lib/backend/k8s/conversion/conversion.go (NamespaceToProfile,
 * ServiceAccountToProfile, serviceAccountNameToProfileName, JoinProfileRevisions) and
 * libcalico-go/lib/resources/static.go (DefaultAllowProfile).
 */
import { InvalidObjectError } from '../../../model/errors.js';
import type { JsonObject, JsonValue } from '../../../model/json.js';
import { isJsonObject } from '../../../model/json.js';
import type { CalicoResource, ObjectMeta } from '../../../model/resource.js';
import { CALICO_API_VERSION } from '../../../model/resource.js';
import { sortedRecord } from '../go-json.js';
import { convertUid } from '../uid.js';
import {
  DEFAULT_ALLOW_PROFILE_NAME,
  NAME_LABEL,
  NAMESPACE_LABEL_PREFIX,
  NAMESPACE_PROFILE_PREFIX,
  SERVICE_ACCOUNT_LABEL_PREFIX,
  SERVICE_ACCOUNT_PROFILE_PREFIX,
} from './constants.js';
import { creationTimestampOf, stringField, stringMapField } from './k8s-fields.js';

/** `[{action: Allow}]`: the rule list of `kns.` profiles and of the default-allow profile. */
function allowAll(): JsonObject[] {
  // api/pkg/apis/projectcalico/v3/policy_common.go Rule: since v3.32 `source`/`destination` are
  // `omitzero`, so an allow rule prints as {"action":"Allow"}; releases before v3.32 printed
  // (and kube-controllers stored in etcd) {"action":"Allow","source":{},"destination":{}}.
  return [{ action: 'Allow' }];
}

/**
 * The Profile `kns.<namespace>` KDD derives from a Namespace (conversion.go NamespaceToProfile):
 * allow-all ingress and egress rules, and `labelsToApply` = every Namespace label prefixed with
 * `pcns.` plus `pcns.projectcalico.org/name: <namespace>`. Metadata is only the name, the
 * Namespace's creationTimestamp and its uid converted with ConvertUID (Calico v3.28 and later; older
 * releases used the Namespace uid unchanged). `resourceVersion` is `<namespace rv>/`, as the v3 API
 * shows it (JoinProfileRevisions), when the Namespace has one.
 * Throws `InvalidObjectError` when the Namespace uid is not a UUID: Calico's conversion fails and
 * its List skips the Namespace with a warning (resources/list_pager.go pagedList).
 */
export function profileFromNamespace(namespace: JsonValue): CalicoResource {
  const meta = metadataOf(namespace, 'Namespace');
  const name = stringField(meta.name);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(stringMapField(meta.labels) ?? {})) {
    labels[NAMESPACE_LABEL_PREFIX + key] = value;
  }
  labels[NAMESPACE_LABEL_PREFIX + NAME_LABEL] = name;
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Profile',
    metadata: profileMeta(NAMESPACE_PROFILE_PREFIX + name, meta, 'namespace'),
    // apiv3.ProfileSpec field order: ingress, egress, labelsToApply (a Go map: sorted keys).
    spec: { ingress: allowAll(), egress: allowAll(), labelsToApply: sortedRecord(labels) },
  };
}

/**
 * The Profile `ksa.<namespace>.<name>` KDD derives from a ServiceAccount
 * (conversion.go ServiceAccountToProfile): no rules, `labelsToApply` = every ServiceAccount label
 * prefixed with `pcsa.` plus `pcsa.projectcalico.org/name: <name>`. An empty namespace reads as
 * `default` (serviceAccountNameToProfileName). Metadata as for `profileFromNamespace`;
 * `resourceVersion` is `/<serviceaccount rv>`. Throws `InvalidObjectError` when the uid is not a
 * UUID (Calico skips such a ServiceAccount).
 */
export function profileFromServiceAccount(serviceAccount: JsonValue): CalicoResource {
  const meta = metadataOf(serviceAccount, 'ServiceAccount');
  const name = stringField(meta.name);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(stringMapField(meta.labels) ?? {})) {
    labels[SERVICE_ACCOUNT_LABEL_PREFIX + key] = value;
  }
  labels[SERVICE_ACCOUNT_LABEL_PREFIX + NAME_LABEL] = name;
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Profile',
    metadata: profileMeta(
      serviceAccountProfileName(stringField(meta.namespace), name),
      meta,
      'serviceaccount',
    ),
    spec: { labelsToApply: sortedRecord(labels) },
  };
}

/**
 * The name of the profile of a pod's ServiceAccount: `ksa.<namespace>.<serviceaccount>`, with an
 * empty namespace read as `default` (conversion.go serviceAccountNameToProfileName).
 */
export function serviceAccountProfileName(namespace: string, serviceAccount: string): string {
  return `${SERVICE_ACCOUNT_PROFILE_PREFIX}${namespace === '' ? 'default' : namespace}.${serviceAccount}`;
}

/**
 * `projectcalico-default-allow`: allow-all rules, metadata only the name, resourceVersion `1`
 * (resources/static.go DefaultAllowProfile). Both backends synthesize it on every read and refuse
 * to store it (clientv3/profile.go rejects Create/Update/Delete; etcdv3.go synthesizes Get/List), so
 * it must never be written to either datastore.
 */
export function defaultAllowProfile(): CalicoResource {
  return {
    apiVersion: CALICO_API_VERSION,
    kind: 'Profile',
    metadata: { name: DEFAULT_ALLOW_PROFILE_NAME, resourceVersion: '1' },
    spec: { ingress: allowAll(), egress: allowAll() },
  };
}

function metadataOf(object: JsonValue, kind: string): JsonObject {
  if (!isJsonObject(object) || !isJsonObject(object.metadata)) {
    throw new InvalidObjectError(`not a Kubernetes ${kind} with metadata`);
  }
  return object.metadata;
}

/** Profile metadata: name, converted uid, creationTimestamp, and the joined profile revision. */
function profileMeta(
  name: string,
  source: JsonObject,
  from: 'namespace' | 'serviceaccount',
): ObjectMeta {
  const sourceUid = stringField(source.uid);
  // ConvertUID (conversion.go) fails on anything uuid.Parse rejects, the empty uid included.
  const uid = convertUid(sourceUid);
  if (uid === undefined) {
    throw new InvalidObjectError(
      `cannot derive Profile ${name}: the ${from} uid ${JSON.stringify(sourceUid)} is not a UUID`,
    );
  }
  const meta: ObjectMeta = { name, uid };
  const revision = stringField(source.resourceVersion);
  // JoinProfileRevisions(nsRev, saRev) = nsRev + "/" + saRev.
  if (revision !== '')
    meta.resourceVersion = from === 'namespace' ? `${revision}/` : `/${revision}`;
  const created = creationTimestampOf(source);
  if (created !== undefined) meta.creationTimestamp = created;
  return meta;
}
