/**
 * One deadline for a whole upstream image fetch: from the first request, across redirects, to
 * the last byte of the body (IMAGE_TIMEOUT_MS). A per-phase timeout let a 1 byte/second origin
 * hold a request for as long as it liked once its headers had arrived.
 */

export class DeadlineExceededError extends Error {
  constructor() {
    super('image upstream deadline exceeded');
    this.name = 'DeadlineExceededError';
  }
}

export interface Deadline {
  /** Aborted (with a DeadlineExceededError) when the deadline passes; pass it to fetch(). */
  readonly signal: AbortSignal;
  readonly expired: boolean;
  /** Runs `callback` once when the deadline passes (at once if it has). Returns an unsubscribe. */
  onExpire(callback: () => void): () => void;
  /** Stops the timer (the work finished, or was given up): nothing will expire any more. */
  dispose(): void;
}

export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timer = undefined;
    controller.abort(new DeadlineExceededError());
  }, ms);
  return {
    signal: controller.signal,
    get expired() {
      return controller.signal.aborted;
    },
    onExpire(callback) {
      if (controller.signal.aborted) {
        callback();
        return () => {};
      }
      // A block body: workerd warns when an event listener returns a value (a callback's result).
      const listener = () => {
        callback();
      };
      controller.signal.addEventListener('abort', listener, { once: true });
      return () => controller.signal.removeEventListener('abort', listener);
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
