/**
 * ConvertUID: the uid mapping between a `projectcalico.org/v3` object and the
 * `crd.projectcalico.org/v1` custom resource that stores it in v1 CRD mode. Calico never shows the
 * CR's own uid, so that the v3 uid stays distinct from it: it reverses the bit order of every byte
 * of the UUID except byte 6 (version) and byte 8 (variant). The mapping is its own inverse.
 * Source: libcalico-go/lib/backend/k8s/conversion/conversion.go (ConvertUID, reverseUID).
 */

/**
 * The other side's uid: v3 uid -> CR uid and CR uid -> v3 uid. `undefined` when the text is not a
 * UUID in one of the forms Go's `uuid.Parse` (github.com/google/uuid) accepts: canonical 36
 * characters, `urn:uuid:` prefixed, enclosed in braces, or 32 bare hex digits. The result is always
 * in canonical lower-case form, as Go prints it.
 */
export function convertUid(uid: string): string | undefined {
  const bytes = parseUuid(uid);
  if (!bytes) return undefined;
  const reversed = bytes.map((byte, index) =>
    index === 6 || index === 8 ? byte : reverseBits(byte),
  );
  return formatUuid(reversed);
}

/** The 16 bytes of a UUID, or `undefined` (github.com/google/uuid Parse). */
function parseUuid(text: string): number[] | undefined {
  let body = text;
  if (text.length === 45) {
    if (text.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined;
    body = text.slice(9);
  } else if (text.length === 38) {
    // Go drops the first character and ignores the last without checking that they are braces.
    body = text.slice(1, 37);
  } else if (text.length === 32) {
    return hexBytes(text);
  } else if (text.length !== 36) {
    return undefined;
  }
  if (body[8] !== '-' || body[13] !== '-' || body[18] !== '-' || body[23] !== '-') return undefined;
  return hexBytes(body.slice(0, 36).replaceAll('-', ''));
}

function hexBytes(hex: string): number[] | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  return Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function reverseBits(byte: number): number {
  let out = 0;
  for (let bit = 0; bit < 8; bit++) out |= ((byte >> bit) & 1) << (7 - bit);
  return out;
}

function formatUuid(bytes: number[]): string {
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
