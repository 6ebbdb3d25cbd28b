/**
 * @roadmap scaling.performance, languages.async-io
 * Look at a semaphore with a bounded FIFO queue: at most `concurrency` tasks run at once, at most
 * `maxQueue` callers wait their turn in arrival order, and anyone beyond that is refused at once,
 * because a queue without a bound only turns overload into ever longer waits.
 */

/** Every slot is busy and the queue is full: the caller should come back later. */
export class QueueFullError extends Error {
  constructor(concurrency: number, maxQueue: number) {
    super(`all ${concurrency} slots are busy and ${maxQueue} callers are already waiting`);
    this.name = 'QueueFullError';
  }
}

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueue: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be at least 1');
    if (!Number.isInteger(maxQueue) || maxQueue < 0) throw new RangeError('maxQueue must be at least 0');
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `task` when a slot is free; rejects with QueueFullError, without running it, when none will be soon. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueue)
      return Promise.reject(new QueueFullError(this.concurrency, this.maxQueue));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the longest waiting caller, so `active` does not change and no
    // newcomer can take the slot in between.
    if (next) next();
    else this.active -= 1;
  }
}
