/**
 * Percent-encoding of names and keys into single path segments. Any string (a Calico name, an etcd
 * key, arbitrary text) maps to exactly one segment made of `[A-Za-z0-9._%-]` that is never `.` or
 * `..`, never empty and never holds a separator, so no archive path can escape its directory.
 * Decoding accepts only the canonical encoding, so every segment names exactly one string.
 */

/** Bytes kept as they are; everything else becomes `%XX` (upper-case hex) of its UTF-8 bytes. */
const isPlainByte = (byte: number): boolean =>
  (byte >= 0x30 && byte <= 0x39) || // 0-9
  (byte >= 0x41 && byte <= 0x5a) || // A-Z
  (byte >= 0x61 && byte <= 0x7a) || // a-z
  byte === 0x2e || // .
  byte === 0x5f || // _
  byte === 0x2d; // -

const DOT = 0x2e;
const HEX = '0123456789ABCDEF';

/** A UTF-16 code unit that is half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Encodes a string as one path segment. A leading `.` is encoded too, so `.`, `..` and hidden
 * names cannot occur. Throws `TypeError` for the empty string (no segment can be empty) and for
 * strings with a lone surrogate (they have no UTF-8 form, so they could not be decoded back).
 */
export function encodeSegment(text: string): string {
  if (text === '') throw new TypeError('cannot encode an empty string as an archive path segment');
  if (LONE_SURROGATE.test(text))
    throw new TypeError(`${JSON.stringify(text)} holds a lone surrogate`);
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  bytes.forEach((byte, index) => {
    if (isPlainByte(byte) && !(index === 0 && byte === DOT)) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  });
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A segment of plain bytes only, not starting with `.`: `encodeSegment` leaves it as it is. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Decodes a segment written by `encodeSegment`. Returns `undefined` unless the segment is exactly
 * the canonical encoding of some string (valid `%XX`, upper-case hex, nothing left plain that must
 * be encoded, valid UTF-8): two different segments never decode to the same string.
 */
export function decodeSegment(segment: string): string | undefined {
  if (segment === '') return undefined;
  // Most names are plain already: such a segment is its own encoding.
  if (PLAIN_SEGMENT.test(segment)) return segment;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code === 0x25) {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (isPlainByte(code)) bytes.push(code);
    else return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeSegment(text) === segment ? text : undefined;
}
