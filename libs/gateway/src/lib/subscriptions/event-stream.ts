/**
 * Events pushed by a callback API (a graphql-ws client's sink), read as an async iterator (what
 * a graphql-ws server forwards). Unlike an async generator, `return()` takes effect at once,
 * also while a read is waiting for the next event: a client's "complete" ends the upstream
 * subscription then, not at the next event, which on a quiet lobby may be minutes away.
 * At most `maxBuffered` events wait for a slow reader; one more fails the stream with
 * `overflow()`, so a client that does not read cannot make the gateway hold events for it.
 */
export class EventStream<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = [];
  private reader?: {
    resolve: (result: IteratorResult<T>) => void;
    reject: (error: unknown) => void;
  };
  private finished = false;
  private failure?: { error: unknown };

  constructor(
    private readonly onReturn: () => void,
    private readonly maxBuffered: number,
    private readonly overflow: () => unknown,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(value: T): void {
    if (this.finished || this.failure) return;
    if (this.reader) {
      const { resolve } = this.reader;
      this.reader = undefined;
      resolve({ done: false, value });
    } else if (this.buffered.length >= this.maxBuffered) {
      this.fail(this.overflow());
      this.onReturn();
    } else {
      this.buffered.push(value);
    }
  }

  /** Ends the stream with an error, after the events already buffered. */
  fail(error: unknown): void {
    if (this.finished || this.failure) return;
    this.failure = { error };
    this.settleReader();
  }

  /** Ends the stream, after the events already buffered. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.settleReader();
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.buffered.shift();
    if (value !== undefined) return Promise.resolve({ done: false, value });
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(error);
    }
    if (this.finished) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.reader = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    const wasOpen = !this.finished && !this.failure;
    this.finished = true;
    this.failure = undefined;
    this.buffered.length = 0;
    this.settleReader();
    if (wasOpen) this.onReturn();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  private settleReader(): void {
    const reader = this.reader;
    if (!reader) return;
    this.reader = undefined;
    if (this.failure) {
      const { error } = this.failure;
      this.failure = undefined;
      this.finished = true;
      reader.reject(error);
    } else {
      reader.resolve({ done: true, value: undefined });
    }
  }
}
