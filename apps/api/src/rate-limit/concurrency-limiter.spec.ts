/**
 * @roadmap testing.unit, languages.async-io
 * Look at how a semaphore is tested without timers: tasks are promises the test settles by hand,
 * so the order of events is fixed and every assertion is about order and counts, never time.
 */
import { ConcurrencyLimiter, QueueFullError } from './concurrency-limiter';

/** A task the test finishes by hand, recording when it started. */
function manualTask(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    run: () => {
      log.push(`start ${name}`);
      return done;
    },
    finish: () => finish(name),
    fail: (error: Error) => fail(error),
  };
}

/** Lets every settled promise's callbacks run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('runs at most `concurrency` tasks at once and starts the waiting ones in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const log: string[] = [];
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((name) => manualTask(log, name));
    const results = tasks.map((task) => limiter.run(task.run));
    await flush();
    expect(log).toEqual(['start a', 'start b']);
    expect([limiter.running, limiter.queued]).toEqual([2, 3]);

    tasks[1].finish();
    await flush();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    tasks[0].finish();
    await flush();
    expect(log).toEqual(['start a', 'start b', 'start c', 'start d']);
    tasks[3].finish();
    await flush();
    expect(log.at(-1)).toBe('start e');
    tasks[2].finish();
    tasks[4].finish();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd', 'e']);
    expect([limiter.running, limiter.queued]).toEqual([0, 0]);
  });

  it('never has more than `concurrency` tasks running, whatever the order they finish in', async () => {
    const limiter = new ConcurrencyLimiter(3, 100);
    let running = 0;
    let highest = 0;
    const finishers: Array<() => void> = [];
    const results = Array.from({ length: 40 }, () =>
      limiter.run(async () => {
        running += 1;
        highest = Math.max(highest, running);
        await new Promise<void>((resolve) => finishers.push(resolve));
        running -= 1;
      }),
    );
    // Finish them in a scrambled order: the last started first, and so on.
    while (finishers.length > 0 || limiter.running > 0) {
      await flush();
      finishers.splice(finishers.length % 2 === 0 ? 0 : -1, 1)[0]?.();
    }
    await Promise.all(results);
    expect(highest).toBe(3);
  });

  it('refuses callers beyond the queue at once, without running their task', async () => {
    const limiter = new ConcurrencyLimiter(1, 2);
    const log: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => manualTask(log, name));
    const admitted = tasks.slice(0, 3).map((task) => limiter.run(task.run));
    const refused = limiter.run(tasks[3].run);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    expect(log).toEqual(['start a']);

    // Once a slot frees, the queue has room again.
    tasks[0].finish();
    await flush();
    const later = manualTask(log, 'later');
    const laterResult = limiter.run(later.run);
    tasks[1].finish();
    tasks[2].finish();
    await flush();
    later.finish();
    await expect(Promise.all([...admitted, laterResult])).resolves.toEqual(['a', 'b', 'c', 'later']);
    expect(log).not.toContain('start d');
  });

  it('with no queue, refuses whenever every slot is busy', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    const log: string[] = [];
    const first = manualTask(log, 'first');
    const running = limiter.run(first.run);
    await expect(limiter.run(() => Promise.resolve('second'))).rejects.toBeInstanceOf(QueueFullError);
    first.finish();
    await running;
    await expect(limiter.run(() => Promise.resolve('third'))).resolves.toBe('third');
  });

  it('releases the slot when a task fails (rejects or throws), and hands it to the next caller', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const log: string[] = [];
    const failing = manualTask(log, 'failing');
    const first = limiter.run(failing.run);
    const second = limiter.run(() => {
      throw new Error('thrown before any await');
    });
    const third = limiter.run(() => Promise.resolve('third'));
    failing.fail(new Error('argon2 failed'));
    await expect(first).rejects.toThrow('argon2 failed');
    await expect(second).rejects.toThrow('thrown before any await');
    await expect(third).resolves.toBe('third');
    expect([limiter.running, limiter.queued]).toEqual([0, 0]);
  });

  it.each([
    [0, 1],
    [1, -1],
    [1.5, 1],
  ])('refuses concurrency %p with queue %p', (concurrency, queue) => {
    expect(() => new ConcurrencyLimiter(concurrency, queue)).toThrow(RangeError);
  });
});
