import { createHash } from 'node:crypto';

/** Short content hash (SHA-256, 96 bits, base64url): versions in ETags and cache keys. */
export function contentHash(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);
}
