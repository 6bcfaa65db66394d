/**
 * parseYamlMapping tries the fast parser first (src/content/simple-yaml.ts) unless told not to,
 * and returns its answer as it is when it has one. The two parsers agree (safe-yaml.test.ts), so
 * only a spy on the fast one can tell which was used.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as simple from '../../../src/content/simple-yaml';
import { parseYamlMapping } from '../../../src/content/safe-yaml';

vi.mock('../../../src/content/simple-yaml', async (importOriginal) => {
  const original = await importOriginal<typeof simple>();
  return { ...original, parseSimpleMapping: vi.fn(original.parseSimpleMapping) };
});

const fast = vi.mocked(simple.parseSimpleMapping);

describe('parseYamlMapping and the fast path', () => {
  beforeEach(() => {
    fast.mockClear();
  });

  it('returns the fast parser\'s answer when it has one', () => {
    const result = parseYamlMapping('title: T\n');
    expect(fast).toHaveBeenCalledTimes(1);
    expect(result).toBe(fast.mock.results[0]!.value);
  });

  it('falls back to the full parser when the fast one declines', () => {
    const result = parseYamlMapping('base: &b [a]\ncategories: *b\n');
    expect(fast).toHaveBeenCalledTimes(1);
    expect(fast.mock.results[0]!.value).toBeNull();
    expect(result.fields.get('categories')).toEqual(['a']);
  });

  it('skips the fast parser when fastPath is false', () => {
    const result = parseYamlMapping('title: T\n', 'x', { fastPath: false });
    expect(fast).not.toHaveBeenCalled();
    expect(result.fields.get('title')).toBe('T');
  });

  it('takes the fast path when fastPath is true', () => {
    parseYamlMapping('title: T\n', 'x', { fastPath: true });
    expect(fast).toHaveBeenCalledTimes(1);
  });
});
