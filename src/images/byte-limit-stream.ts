/**
 * Size cap for streamed image bodies: a declared Content-Length over the cap is refused before
 * any body is read; a body without one is counted as it streams and errored past the cap, so no
 * image is ever buffered whole and an oversized one is never completed (nor cached).
 */

export class ByteLimitExceededError extends Error {
  constructor(readonly maxBytes: number) {
    super('image too large');
    this.name = 'ByteLimitExceededError';
  }
}

/** A pass-through stream that errors once more than `maxBytes` bytes have gone through it. */
export function byteLimitStream(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > maxBytes) {
        controller.error(new ByteLimitExceededError(maxBytes));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/** The Content-Length header as a number, or null when absent or not a plain decimal. */
export function declaredLength(headers: Headers): number | null {
  const raw = headers.get('content-length');
  if (raw === null || !/^\s*\d{1,16}\s*$/.test(raw)) return null;
  return Number(raw.trim());
}
