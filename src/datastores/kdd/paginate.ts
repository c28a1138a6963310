/**
 * LIST paging with `limit` and `continue`. Continue tokens expire (HTTP 410 Gone, about five
 * minutes: kubernetes.io api-concepts "Retrieving large results sets in chunks"); the list then
 * resumes from the server's inconsistent-continuation token, or restarts and skips what was
 * already yielded. Items come in storage key order (namespace, then name), which makes the skip
 * exact without remembering names, so memory stays flat.
 */
import type { JsonObject } from '../../model/json.js';
import { isJsonObject } from '../../model/json.js';
import { ListExpiredError } from './errors.js';
import type { KubeClient } from './http-client.js';

/** One page of a listing. */
export interface ListPage {
  items: JsonObject[];
  /** The list's resourceVersion (changes if the list had to restart). */
  resourceVersion: string;
}

/** Options of `paginateList`. */
export interface PaginateOptions {
  pageSize?: number;
  labelSelector?: string;
}

/** Streams the pages of a LIST request. */
export async function* paginateList(
  client: KubeClient,
  path: string,
  options: PaginateOptions = {},
): AsyncGenerator<ListPage> {
  let token: string | undefined;
  let lastKey: string | undefined;
  for (;;) {
    let body: JsonObject;
    try {
      const response = await client.send({
        method: 'GET',
        path,
        query: {
          limit: options.pageSize ?? 500,
          continue: token,
          labelSelector: options.labelSelector,
        },
      });
      body = isJsonObject(response.body) ? response.body : {};
    } catch (error) {
      if (!(error instanceof ListExpiredError) || token === undefined) throw error;
      token = error.continueToken;
      continue;
    }
    const metadata = isJsonObject(body.metadata) ? body.metadata : {};
    const items = (Array.isArray(body.items) ? body.items : []).filter(isJsonObject);
    const fresh =
      lastKey === undefined ? items : items.filter((item) => storageKey(item) > lastKey!);
    if (fresh.length > 0) lastKey = storageKey(fresh.at(-1)!);
    yield { items: fresh, resourceVersion: String(metadata.resourceVersion ?? '') };
    token =
      typeof metadata.continue === 'string' && metadata.continue !== ''
        ? metadata.continue
        : undefined;
    if (token === undefined) return;
  }
}

/** `<namespace>/<name>`: the order the API server lists objects in. */
function storageKey(item: JsonObject): string {
  const metadata = isJsonObject(item.metadata) ? item.metadata : {};
  return `${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}`;
}
