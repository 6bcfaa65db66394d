/**
 * The upstream image body as it is passed on: counted against IMAGE_MAX_BYTES, held to the
 * declared Content-Length, and cut at the fetch's deadline (deadline.ts). Any of those errors the
 * stream, so a reader of it (the client's response, the cache writer) never sees a short body
 * end as if it were complete: the client's connection is cut, and the cache stores nothing
 * (image-cache.ts only stores a body that ended cleanly). No image is buffered here.
 */
import type { Deadline } from './deadline';
import { DeadlineExceededError } from './deadline';

export class ByteLimitExceededError extends Error {
  constructor(readonly maxBytes: number) {
    super('image too large');
    this.name = 'ByteLimitExceededError';
  }
}

/** The body did not have the length its Content-Length declared (RFC 9112 §6.3: incomplete). */
export class LengthMismatchError extends Error {
  constructor(readonly expected: number, readonly received: number) {
    super(`image body length ${received} differs from Content-Length ${expected}`);
    this.name = 'LengthMismatchError';
  }
}

/** The Content-Length header as a number, or null when absent or not a plain decimal. */
export function declaredLength(headers: Headers): number | null {
  const raw = headers.get('content-length');
  if (raw === null || !/^\s*\d{1,16}\s*$/.test(raw)) return null;
  return Number(raw.trim());
}

export interface BodyLimits {
  maxBytes: number;
  /** The declared length, when the body is not content-encoded; null when unknown. */
  expectedLength: number | null;
  /** Disposed when the stream ends, whichever way. */
  deadline: Deadline;
}

/**
 * A stream of `source`'s bytes that errors with ByteLimitExceededError past `maxBytes`,
 * LengthMismatchError when the body is longer or shorter than `expectedLength`, and
 * DeadlineExceededError when the deadline passes first (even while the source is stalled).
 * The source is cancelled when this stream errors or is cancelled.
 */
export function guardedBody(source: ReadableStream<Uint8Array> | null, limits: BodyLimits): ReadableStream<Uint8Array> {
  const reader = source?.getReader() ?? null;
  let received = 0;
  let finished = false;
  let unsubscribe = () => {};
  let fail: (error: Error) => void = () => {};

  const finish = () => {
    finished = true;
    unsubscribe();
    limits.deadline.dispose();
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        fail = (error) => {
          if (finished) return;
          finish();
          controller.error(error);
          reader?.cancel(error).catch(() => {});
        };
        unsubscribe = limits.deadline.onExpire(() => fail(new DeadlineExceededError()));
      },
      async pull(controller) {
        if (finished) return;
        if (reader === null) {
          if (limits.expectedLength !== null && limits.expectedLength !== 0) {
            fail(new LengthMismatchError(limits.expectedLength, 0));
            return;
          }
          finish();
          controller.close();
          return;
        }
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          fail(error instanceof Error ? error : new Error('image upstream body failed'));
          return;
        }
        if (finished) return; // the deadline passed while we waited
        if (chunk.done) {
          if (limits.expectedLength !== null && received !== limits.expectedLength) {
            fail(new LengthMismatchError(limits.expectedLength, received));
            return;
          }
          finish();
          controller.close();
          return;
        }
        received += chunk.value.byteLength;
        if (received > limits.maxBytes) {
          fail(new ByteLimitExceededError(limits.maxBytes));
          return;
        }
        if (limits.expectedLength !== null && received > limits.expectedLength) {
          fail(new LengthMismatchError(limits.expectedLength, received));
          return;
        }
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        if (finished) return;
        finish();
        return reader?.cancel(reason).catch(() => {});
      },
    },
    // Pull only when the reader asks: the upstream is read at the client's pace, not ahead of it.
    { highWaterMark: 0 },
  );
}
