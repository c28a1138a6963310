/**
 * `resource.ParseQuantity(text).Value()` of k8s.io/apimachinery (pkg/api/resource/quantity.go,
 * amount.go, math.go, scale_int.go), which Calico uses to read the QoS annotations of a pod
 * (libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go parseAndValidateQty).
 * Kubernetes' arithmetic is reproduced, overflow quirks included (e.g. `10E` reads as 0 because the
 * int64 scaling overflows), so that out-of-range annotations clamp exactly as in Calico.
 */

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

interface QuantityParts {
  positive: boolean;
  /** The numeric text before the suffix, sign included. */
  value: string;
  /** Integer digits without leading zeros (`0` when none). */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: Format;
}

const DECIMAL_SUFFIXES: Record<string, number> = {
  '': 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

/** The integer value Kubernetes gives the quantity, or `undefined` where ParseQuantity fails. */
export function parseQuantityValue(text: string): bigint | undefined {
  if (text === '') return undefined;
  if (text === '0') return 0n;
  const parts = splitQuantity(text);
  const suffix = parts && interpretSuffix(parts.suffix);
  if (!parts || !suffix) return undefined;
  const fast = int64Amount(parts, suffix);
  if (fast) return int64AmountValue(fast.value, fast.scale);
  return decimalAmountValue(parts, suffix);
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/** quantity.go parseQuantityString. */
function splitQuantity(str: string): QuantityParts | undefined {
  const end = str.length;
  let pos = 0;
  const positive = str[0] !== '-';
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (isDigit(str[i])) i++;
  if (i >= end) return { positive, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    let j = ++pos;
    while (isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = j;
  }
  const base = { positive, value: str.slice(0, pos), num, denom };
  let k = pos;
  while (k < end && 'eEinumkKMGTP'.includes(str[k]!)) k++;
  if (k < end && (str[k] === '-' || str[k] === '+')) k++;
  while (isDigit(str[k])) k++;
  return k >= end ? { ...base, suffix: str.slice(pos) } : undefined;
}

/** suffix.go interpret: SI suffixes, binary suffixes, or `e<int>` / `E<int>` exponents. */
function interpretSuffix(suffix: string): Suffix | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: 'DecimalSI' };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    // strconv.ParseInt(s, 10, 64), then a conversion to int32.
    if (!/^[+-]?\d+$/.test(suffix.slice(1))) return undefined;
    const parsed = BigInt(suffix.slice(1));
    if (parsed > MAX_INT64 || parsed < MIN_INT64) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** The int64Amount fast path of ParseQuantity, or `undefined` when it takes the inf.Dec path. */
function int64Amount(
  parts: QuantityParts,
  suffix: Suffix,
): { value: bigint; scale: number } | undefined {
  const { num, denom } = parts;
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (suffix.format !== 'BinarySI') {
    scale = suffix.exponent;
    precision = 18 - (num.length + denom.length);
  } else if (suffix.exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(suffix.exponent);
    precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision < 0) return undefined;
  scale -= denom.length;
  if (scale < -9) return undefined;
  const product = BigInt(num + denom) * mantissa;
  if (product > MAX_INT64) return undefined;
  return { value: parts.positive ? product : -product, scale };
}

/** int64Amount.AsScaledInt64(0), whose result Value() returns even when it overflowed. */
function int64AmountValue(value: bigint, scale: number): bigint {
  if (scale === 0) return value;
  if (scale < 0) {
    // negativeScaleInt64: divide, rounding away from zero.
    const divisor = 10n ** BigInt(-scale);
    const rounded = divideRoundingUp(value < 0n ? -value : value, divisor);
    return value < 0n ? -rounded : rounded;
  }
  if (value === MIN_INT64) return 0n;
  const product = value * 10n ** BigInt(scale);
  // positiveScaleInt64: scales 1, 2, 3, 6 and 9 return the wrapped product; the others multiply
  // by 10 in a loop and return 0 on overflow.
  if ([1, 2, 3, 6, 9].includes(scale)) return BigInt.asIntN(64, product);
  return product > MAX_INT64 || product < MIN_INT64 ? 0n : product;
}

/** The inf.Dec path of ParseQuantity followed by infDecAmount's Value (scaledValue). */
function decimalAmountValue(parts: QuantityParts, suffix: Suffix): bigint | undefined {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(parts.value);
  const digits = match ? match[2]! + (match[3] ?? '') : '';
  if (!match || digits === '') return undefined;
  let magnitude = BigInt(digits);
  let scale = (match[3] ?? '').length;
  if (suffix.base === 10) scale -= suffix.exponent;
  else magnitude <<= BigInt(suffix.exponent);
  if (magnitude !== 0n) {
    // Round up (away from zero) to nano precision: the amount ends with scale 9.
    if (scale <= 9) magnitude *= 10n ** BigInt(9 - scale);
    else magnitude = divideRoundingUp(magnitude, 10n ** BigInt(scale - 9));
    scale = 9;
  }
  if (suffix.format === 'BinarySI' && magnitude > MAX_INT64 * 10n ** BigInt(Math.max(scale, 0))) {
    magnitude = MAX_INT64;
    scale = 0;
  }
  const unscaled = match[1] === '-' ? -magnitude : magnitude;
  return scaledValue(unscaled, scale);
}

/** scale_int.go scaledValue(unscaled, scale, 0). */
function scaledValue(unscaled: bigint, scale: number): bigint {
  if (scale === 0) return goInt64(unscaled);
  if (scale < 0) return BigInt.asIntN(64, goInt64(unscaled) * 10n ** BigInt(-scale));
  const divisor = 10n ** BigInt(scale);
  if (unscaled < MAX_INT64 && scale < 19) {
    const small = goInt64(unscaled);
    const quotient = small / divisor;
    return small % divisor === 0n ? quotient : quotient + 1n;
  }
  // big.Int DivMod is Euclidean: with a positive divisor the quotient is the floor.
  let quotient = unscaled / divisor;
  if (unscaled % divisor !== 0n && unscaled < 0n) quotient -= 1n;
  const exact = quotient * divisor === unscaled;
  return BigInt.asIntN(64, goInt64(quotient) + (exact ? 0n : 1n));
}

function divideRoundingUp(magnitude: bigint, divisor: bigint): bigint {
  return magnitude / divisor + (magnitude % divisor === 0n ? 0n : 1n);
}

/** big.Int.Int64: the low 64 bits of the magnitude, negated for a negative number. */
function goInt64(value: bigint): bigint {
  const low = BigInt.asUintN(64, value < 0n ? -value : value);
  return BigInt.asIntN(64, value < 0n ? -low : low);
}
