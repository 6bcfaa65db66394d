/**
 * Which upstream Content-Types the image route serves: `image/*` only, reduced to the lower-cased
 * media type without parameters. `image/svg+xml` is allowed because every image response carries
 * the sandboxing CSP (see image-response-headers.ts), which stops scripts inside an SVG.
 */

/** `image/<RFC 9110 token>`. */
const IMAGE_TYPE = /^image\/[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** Returns the media type to serve (e.g. `image/png`), or null when it is not an image type. */
export function imageContentType(header: string | null): string | null {
  if (header === null) return null;
  const essence = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return IMAGE_TYPE.test(essence) ? essence : null;
}
