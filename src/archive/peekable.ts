/** An async iterator with one item of lookahead, for comparing two ordered streams. */
export class Peekable<T> {
  private buffered: IteratorResult<T> | undefined;

  constructor(private readonly iterator: AsyncIterator<T>) {}

  /** The next item without consuming it; `undefined` at the end. */
  async peek(): Promise<T | undefined> {
    this.buffered ??= await this.iterator.next();
    return this.buffered.done ? undefined : this.buffered.value;
  }

  /** Consumes and returns the next item; `undefined` at the end. */
  async next(): Promise<T | undefined> {
    const item = await this.peek();
    if (item !== undefined) this.buffered = undefined;
    return item;
  }
}
