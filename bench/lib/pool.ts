/** A bounded set of concurrent tasks: `run` waits for a free slot; the first failure is kept. */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: unknown;
  private failed = false;

  constructor(private readonly limit: number) {}

  /** Starts `task` once fewer than `limit` tasks run; rethrows an earlier task's failure. */
  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.check();
    const promise: Promise<void> = task()
      .catch((error: unknown) => {
        if (!this.failed) [this.failed, this.failure] = [true, error];
      })
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Waits for every started task; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    this.check();
  }

  private check(): void {
    if (this.failed) throw this.failure;
  }
}
