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

/** A value that may still be coming: `yield* settle(x)` waits only when `x` is a promise (and makes no generator when it is not). */
export function settle<T>(value: T | Promise<T>): Op<T> {
  return value instanceof Promise ? awaiting(value) : ready(value);
}

/**
 * An Op that is already done with `value`, made without a generator: what a synchronous step of the
 * interpreter (JSONPath's data flow, on every transition) hands to `yield*`. One shared object, so it
 * must be consumed at once (`yield* ready(x)`, never kept): it is reset on each use.
 */
export function ready<T>(value: T): Op<T> {
  READY.pending = value;
  return READY as Op<T>;
}

class Ready implements Op<unknown> {
  pending: unknown;
  private readonly result: IteratorReturnResult<unknown> = { done: true, value: undefined };

  next(): IteratorReturnResult<unknown> {
    this.result.value = this.pending;
    this.pending = undefined;
    return this.result;
  }

  return(value: unknown): IteratorReturnResult<unknown> {
    return { done: true, value };
  }

  throw(error: unknown): never {
    throw error;
  }

  [Symbol.iterator](): Ready {
    return this;
  }
}

const READY = new Ready();

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
