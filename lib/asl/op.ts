/**
 * An interpreter computation that is synchronous unless it meets JSONata, whose evaluation returns a
 * promise. Written as a generator (`yield*` where async code would `await`), it runs to the end in
 * one go when nothing asynchronous happens: a JSONPath state costs no promise and no microtask,
 * which is most of what a transition costs otherwise.
 */
export type Op<T> = Generator<Promise<unknown>, T, unknown>;

/** Waits for a promise inside an Op: `const value = yield* awaiting(promise)`. */
export function* awaiting<T>(promise: Promise<T>): Op<T> {
  return (yield promise) as T;
}

/** A value that may still be coming: `yield* settle(x)` waits only when `x` is a promise. */
export function* settle<T>(value: T | Promise<T>): Op<T> {
  return value instanceof Promise ? yield* awaiting(value) : value;
}

/** Runs an Op: its result directly when it never waited, else a promise of it. */
export function run<T>(op: Op<T>): T | Promise<T> {
  return drive(op, op.next());
}

function drive<T>(op: Op<T>, step: IteratorResult<Promise<unknown>, T>): T | Promise<T> {
  if (step.done) return step.value;
  return step.value.then(
    (value) => drive(op, op.next(value)),
    (error: unknown) => drive(op, op.throw(error)),
  );
}

/**
 * An Op that has already finished with `value`: for code that is synchronous where the interface asks
 * for an Op (JSONPath data flow). `yield*` reads it as a finished generator; it costs one small object
 * where a generator function's call costs a generator and its register file (~5x the garbage and
 * twice the time per call in a cold process). It computes nothing on `next`, so make it where it is
 * consumed: `yield* finished(f(x))` throws from `f` exactly where `yield* g(x)` would.
 */
export function finished<T>(value: T): Op<T> {
  return new Finished(value);
}

class Finished<T> implements Op<T> {
  readonly done = true;
  constructor(readonly value: T) {}

  next(): IteratorReturnResult<T> {
    return this;
  }

  return(): IteratorReturnResult<T> {
    return this;
  }

  throw(error: unknown): never {
    throw error;
  }

  [Symbol.iterator](): Op<T> {
    return this;
  }
}
