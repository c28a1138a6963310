/**
 * The single progress reporter shared by export, import and verify: a live bar per kind on a
 * terminal, a periodic line otherwise (CronJob logs), both on stderr.
 */

/** Receives progress events from a pipeline. */
export interface Progress {
  /** A kind starts; `total` when known. */
  begin(kind: string, total?: number): void;
  /** `count` more objects of the current kind are done. */
  advance(count?: number): void;
  /** The current kind is done. */
  end(): void;
  /** Stops timers and clears the live line. */
  close(): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Verb shown at the start of each line, e.g. `export`. */
  verb: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Interval of the periodic lines when not on a terminal (default 10 s). */
  intervalMs?: number;
  /** Print nothing. */
  quiet?: boolean;
}

/** A progress reporter that does nothing. */
export const noProgress: Progress = {
  begin: () => undefined,
  advance: () => undefined,
  end: () => undefined,
  close: () => undefined,
};

/** Creates a progress reporter for the given stream (stderr by default). */
export function createProgress(options: ProgressOptions): Progress {
  if (options.quiet) return noProgress;
  const stream = options.stream ?? process.stderr;
  const live = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (live ? 100 : 10_000);
  let kind = '';
  let total: number | undefined;
  let done = 0;
  let startedAt = 0;
  let lastDraw = 0;

  const describe = () => {
    const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const amount = total === undefined ? `${done}` : `${done}/${total}`;
    return `${options.verb}: ${kind} ${amount} (${rate}/s)`;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < intervalMs) return;
    lastDraw = now;
    if (live) stream.write(`\r\x1b[K${bar()} ${describe()}`);
    else stream.write(`${describe()}\n`);
  };
  const bar = () => {
    if (total === undefined || total === 0) return '';
    const width = 20;
    const filled = Math.min(width, Math.round((done / total) * width));
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  };
  const timer = live ? undefined : setInterval(() => kind && draw(true), intervalMs);
  timer?.unref();

  return {
    begin(nextKind, nextTotal) {
      kind = nextKind;
      total = nextTotal;
      done = 0;
      startedAt = Date.now();
      lastDraw = live ? 0 : startedAt;
    },
    advance(count = 1) {
      done += count;
      if (live) draw();
    },
    end() {
      if (live) stream.write(`\r\x1b[K${describe()}\n`);
      kind = '';
    },
    close() {
      if (timer) clearInterval(timer);
      if (live && kind) stream.write('\r\x1b[K');
    },
  };
}
