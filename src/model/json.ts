/**
 * Lossless JSON. Calico stores integers that do not fit a JavaScript number: an IPAM block's
 * `sequenceNumber` starts at `time.Now().UnixNano()` (libcalico-go/lib/ipam/ipam_block.go), about
 * 1.8e18, above 2^53. `JSON.parse` would silently round it, corrupting IPAM on restore. Every
 * datastore value and archive entry therefore goes through `parseJson` / `stringifyJson`, which
 * keep such integers exact as `bigint`.
 */

/** A JSON value; integers outside the safe range are `bigint`. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** Digit runs long enough to possibly exceed 2^53 (9007199254740992 has 16 digits). */
const LONG_DIGITS = /\d{16,}/;

/** Parses JSON, keeping integers beyond `Number.MAX_SAFE_INTEGER` exact as `bigint`. */
export function parseJson(text: string): JsonValue {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text) as JsonValue;
  return new LosslessParser(text).parseDocument();
}

const BIGINT_TAG = `\u0000bigint:${Math.random().toString(36).slice(2)}:`;
const BIGINT_TAG_PATTERN = new RegExp(
  `"${BIGINT_TAG.replace('\u0000', '\\\\u0000')}(-?\\d+)"`,
  'g',
);

/** Serialises like `JSON.stringify`, writing `bigint` values as plain JSON integers. */
export function stringifyJson(value: unknown, space?: number): string {
  let sawBigint = false;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      sawBigint = true;
      return BIGINT_TAG + v.toString();
    },
    space,
  );
  return sawBigint ? text.replace(BIGINT_TAG_PATTERN, '$1') : text;
}

/**
 * Serialises with object keys sorted at every level: two deep-equal values give the same text, so
 * it can be hashed or compared.
 */
export function stringifySorted(value: unknown): string {
  return stringifyJson(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}

/** Whether two JSON values are equal (key order ignored, `undefined` members ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return stringifySorted(a) === stringifySorted(b);
}

/** Whether a value is a plain JSON object (not an array or null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A small recursive-descent JSON parser, used only when a document may hold huge integers. */
class LosslessParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.parseValue();
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected data after JSON value');
    return value;
  }

  private parseValue(): JsonValue {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.parseObject();
    if (ch === '[') return this.parseArray();
    if (ch === '"') return this.parseString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail('unexpected token');
  }

  private parseObject(): JsonObject {
    const result: JsonObject = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.parseString();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      // defineProperty, not assignment: a "__proto__" key must stay an ordinary member.
      Object.defineProperty(result, key, {
        value: this.parseValue(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === '}') return result;
      if (sep !== ',') this.fail("expected ',' or '}'");
    }
  }

  private parseArray(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipSpace();
      const sep = this.text[this.pos++];
      if (sep === ']') return result;
      if (sep !== ',') this.fail("expected ',' or ']'");
    }
  }

  private parseString(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\') this.pos += 2;
      else if (ch === '"') {
        this.pos++;
        return JSON.parse(this.text.slice(start, this.pos)) as string;
      } else this.pos++;
    }
    return this.fail('unterminated string');
  }

  private parseNumber(): number | bigint {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) return this.fail('bad number');
    this.pos += match[0].length;
    const number = Number(match[0]);
    const isInteger = match[1] === undefined && match[2] === undefined;
    return isInteger && !Number.isSafeInteger(number) ? BigInt(match[0]) : number;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private fail(message: string): never {
    throw new SyntaxError(`${message} at position ${this.pos} in JSON`);
  }
}
