/**
 * Seeds the KDD form of the dataset (test/fixtures/dataset) into a real test kube-apiserver, and
 * records the facts only the API server knows (uid, creationTimestamp) so that tests can build the
 * exact canonical objects an export must produce. Requests are raw JSON over HTTPS with the admin
 * kubeconfig, encoded and parsed losslessly (IPAM sequence numbers exceed 2^53).
 */
import { request } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';
import type { JsonObject, JsonValue } from '../../src/model/json.js';
import { isJsonObject, parseJson, stringifyJson } from '../../src/model/json.js';
import type { CustomResourceWrite, KddSeed, KubeWrite } from '../fixtures/dataset/index.js';
import { reverseUidBits, SYSTEM_NAMESPACES } from '../fixtures/dataset/index.js';
import type { ApiserverName } from '../harness/state.js';
import type { TestEnv } from './testenv.js';
import { kubeconfigFor } from './testenv.js';

/** A response: status and parsed body. */
export interface ApiResponse {
  status: number;
  body: JsonValue | undefined;
}

/** Minimal Kubernetes REST client for test set-up and clean-up. */
export class KubeApi {
  private constructor(
    readonly server: string,
    private readonly tls: RequestOptions,
  ) {}

  /** A client for one test apiserver with its admin credentials. */
  static async forApiserver(env: TestEnv, name: ApiserverName): Promise<KubeApi> {
    const state = env.apiservers[name];
    const config = new KubeConfig();
    config.loadFromFile(state?.adminKubeconfig ?? kubeconfigFor(env, name));
    const options: RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    return new KubeApi(config.getCurrentCluster()!.server, {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
    });
  }

  /**
   * Sends a request; retries 429 (a CR type's storage answers "storage is (re)initializing" until
   * its cache is ready, kube-apiserver 1.36) and connection resets. Throws on any status not in
   * `ok` (default: 2xx).
   */
  async send(
    method: string,
    path: string,
    body?: unknown,
    options: { contentType?: string; ok?: number[] } = {},
  ): Promise<ApiResponse> {
    for (let attempt = 1; ; attempt++) {
      let response: ApiResponse;
      try {
        response = await this.exchange(method, path, body, options.contentType);
      } catch (error) {
        if (attempt < 20 && /ECONNRESET|socket hang up/.test(String(error))) {
          await sleep(100 * attempt);
          continue;
        }
        throw error;
      }
      if (response.status === 429 && attempt < 60) {
        await sleep(Math.min(100 * attempt, 1000));
        continue;
      }
      const ok = options.ok ?? [];
      if ((response.status >= 200 && response.status < 300) || ok.includes(response.status))
        return response;
      const message = isJsonObject(response.body) ? response.body.message : response.body;
      throw new Error(
        `${method} ${path} on ${this.server}: HTTP ${response.status}: ${String(message)}`,
      );
    }
  }

  /** Lists every item of a collection (all pages). */
  async list(path: string): Promise<JsonObject[]> {
    const items: JsonObject[] = [];
    let token: string | undefined;
    do {
      const query = `?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const { body } = await this.send('GET', path + query);
      const list = isJsonObject(body) ? body : {};
      items.push(...(Array.isArray(list.items) ? list.items.filter(isJsonObject) : []));
      const meta = isJsonObject(list.metadata) ? list.metadata : {};
      token = typeof meta.continue === 'string' && meta.continue ? meta.continue : undefined;
    } while (token);
    return items;
  }

  private exchange(
    method: string,
    path: string,
    body: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : Buffer.from(stringifyJson(body));
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        {
          ...this.tls,
          method,
          timeout: 30_000,
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: JsonValue | undefined;
            try {
              parsed = text ? parseJson(text) : undefined;
            } catch {
              parsed = text;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the API server assigned to the object behind one canonical object. */
export interface RecordedFacts {
  uid: string;
  creationTimestamp: string;
}

/** Recorded facts by canonical identity (`Kind ns/name` or `Kind name`). */
export type KddFacts = Map<string, RecordedFacts>;

const MERGE_PATCH = 'application/merge-patch+json';

function metaOf(body: JsonValue | undefined): JsonObject {
  return isJsonObject(body) && isJsonObject(body.metadata) ? body.metadata : {};
}

/** Creates a Kubernetes object and, if given, sets its status through the status subresource. */
async function createKube(api: KubeApi, write: KubeWrite): Promise<JsonObject> {
  const created = await api.send('POST', write.collection, write.body);
  if (write.status) {
    const name = String(metaOf(write.body).name);
    await api.send(
      'PATCH',
      `${write.collection}/${name}/status`,
      { status: write.status },
      {
        contentType: MERGE_PATCH,
      },
    );
  }
  return metaOf(created.body);
}

function customResourceCollection(write: CustomResourceWrite): string {
  const ns = write.namespace ? `/namespaces/${write.namespace}` : '';
  return `${write.groupVersion}${ns}/${write.plural}`;
}

/** Creates a custom resource and, if given, sets its status through the status subresource. */
async function createCustomResource(api: KubeApi, write: CustomResourceWrite): Promise<JsonObject> {
  const collection = customResourceCollection(write);
  const created = await api.send('POST', collection, write.body);
  if (write.status) {
    const name = String(metaOf(write.body).name);
    await api.send(
      'PATCH',
      `${collection}/${name}/status`,
      { status: write.status },
      {
        contentType: MERGE_PATCH,
      },
    );
  }
  return metaOf(created.body);
}

/**
 * The uid and creationTimestamp Calico shows for a CR (calico-datastore-model.md §3.2-3.3): in v1
 * mode the bit-reversed CR uid, and the metadata annotation's creationTimestamp when it has one.
 */
function customResourceFacts(write: CustomResourceWrite, server: JsonObject): RecordedFacts {
  const v1 = write.groupVersion.includes('crd.projectcalico.org');
  const uid = String(server.uid);
  let creationTimestamp = String(server.creationTimestamp);
  const annotation = (metaOf(write.body).annotations as JsonObject | undefined)?.[
    'projectcalico.org/metadata'
  ];
  if (v1 && typeof annotation === 'string') {
    const annotated = parseJson(annotation) as JsonObject;
    if (typeof annotated.creationTimestamp === 'string')
      creationTimestamp = annotated.creationTimestamp;
  }
  return { uid: v1 ? reverseUidBits(uid) : uid, creationTimestamp };
}

/** Runs `work` over `items` with a few requests in flight. */
async function forEach<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * Creates the KDD form of the dataset, in dependency order (namespaces, service accounts, nodes,
 * custom resources, pods), plus the objects KDD must hide. Returns the recorded facts of every
 * canonical object, including the `kns.` profiles of the namespaces that already existed.
 */
export async function seedKdd(api: KubeApi, seed: KddSeed): Promise<KddFacts> {
  const facts: KddFacts = new Map();
  const record = (write: KubeWrite | CustomResourceWrite, fact: RecordedFacts): void => {
    facts.set(seed.identities.get(write)!, fact);
  };
  const kubeFacts = (meta: JsonObject, convert: boolean): RecordedFacts => ({
    uid: convert ? reverseUidBits(String(meta.uid)) : String(meta.uid),
    creationTimestamp: String(meta.creationTimestamp),
  });
  for (const write of seed.namespaces) record(write, kubeFacts(await createKube(api, write), true));
  for (const name of SYSTEM_NAMESPACES) {
    const { body } = await api.send('GET', `/api/v1/namespaces/${name}`);
    facts.set(`Profile kns.${name}`, kubeFacts(metaOf(body), true));
  }
  await forEach(seed.serviceAccounts, async (w) =>
    record(w, kubeFacts(await createKube(api, w), true)),
  );
  await forEach(seed.nodes, async (w) => record(w, kubeFacts(await createKube(api, w), false)));
  await forEach(seed.customResources, async (w) =>
    record(w, customResourceFacts(w, await createCustomResource(api, w))),
  );
  await forEach(seed.pods, async (w) => record(w, kubeFacts(await createKube(api, w), false)));
  await forEach(seed.hiddenPods, async (w) => void (await createKube(api, w)));
  await forEach(seed.softDeleted, async (w) => void (await createCustomResource(api, w)));
  return facts;
}
