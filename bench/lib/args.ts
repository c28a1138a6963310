/** Small helpers for benchmark flags that may also come from environment variables. */

/** Parses `5000,50000` (also `5k,50k`) into positive integers. */
export function parseSizes(text: string, what: string): number[] {
  const sizes = text.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    const factor = { '': 1, k: 1e3, m: 1e6 }[match?.[2]?.toLowerCase() ?? ''] ?? NaN;
    const value = match ? Math.round(Number(match[1]) * factor) : NaN;
    if (!Number.isFinite(value) || value < 1) throw new Error(`${what}: not a size list: ${text}`);
    return value;
  });
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** A positive number from a flag. */
export function parsePositive(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${what} must be a positive number, not ${text}`);
  return value;
}

/** The flag's value, else the environment variable's, else the default. */
export function flagOrEnv(flag: string | undefined, variable: string, fallback: string): string {
  return flag ?? process.env[variable] ?? fallback;
}

/** The environment for a measured child: this one without datastore settings or NODE_OPTIONS. */
export function childEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(CALICO_)?(ETCD_|K8S_|KUBECONFIG$|DATASTORE_TYPE$|CALICO_API_GROUP$)/.test(name))
      delete env[name];
  }
  // tsx (which runs the benchmark) must not leak its loader into the measured process.
  delete env.NODE_OPTIONS;
  return env;
}
