/** Slugs become URL path segments and KV key suffixes: refuse only what cannot be either. */
export const MAX_SLUG_LENGTH = 200;

export function slugProblem(slug: string): string | null {
  if (slug.length === 0) return 'empty slug';
  if (slug.length > MAX_SLUG_LENGTH) return `longer than ${MAX_SLUG_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f/\\]/.test(slug)) return 'contains a control character or slash';
  if (slug === '.' || slug === '..') return 'is a dot segment';
  if (slug.isWellFormed && !slug.isWellFormed()) return 'is not well-formed Unicode';
  return null;
}
