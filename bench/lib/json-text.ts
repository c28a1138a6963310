/**
 * JSON text with 64-bit integers. Calico's IPAM sequence numbers are uint64 and exceed 2^53, so
 * the generator holds them as bigint and writes them as bare JSON numbers, the way Go's
 * encoding/json does. Independent of src/model/json.ts on purpose: the benchmark's data must not
 * depend on the code it measures.
 */

const MARK = '\u0000bigint:';
const MARKED = /"\\u0000bigint:(\d+)"/g;

/** `JSON.stringify` that writes bigint values as plain JSON numbers. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? `${MARK}${item}` : item,
  );
  return text.replace(MARKED, '$1');
}
