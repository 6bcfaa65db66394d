/**
 * Judges the final upstream response before anything is streamed: only a 200 with an `image/*`
 * type and a declared length within the cap is served; 404/410 become our 404; anything else
 * is a bad gateway.
 */
import { declaredLength } from './image-body';
import { imageContentType } from './image-content-type';
import type { ImageErrorKind } from './image-errors';

export type UpstreamVerdict =
  | { kind: 'image'; contentType: string; contentLength: number | null }
  | { kind: 'error'; error: ImageErrorKind };

export function judgeUpstream(response: Response, maxBytes: number): UpstreamVerdict {
  if (response.status === 404 || response.status === 410) return { kind: 'error', error: 'upstream-not-found' };
  if (response.status !== 200) return { kind: 'error', error: 'upstream-error' };
  const contentType = imageContentType(response.headers.get('content-type'));
  if (!contentType) return { kind: 'error', error: 'not-an-image' };
  const length = declaredLength(response.headers);
  if (length !== null && length > maxBytes) return { kind: 'error', error: 'too-large' };
  // fetch() hands us the decoded body of a Content-Encoding'd response: its declared length
  // is then the encoded one, so it is not passed on.
  const encoding = (response.headers.get('content-encoding') ?? '').trim().toLowerCase();
  const identity = encoding === '' || encoding === 'identity';
  return { kind: 'image', contentType, contentLength: identity ? length : null };
}
