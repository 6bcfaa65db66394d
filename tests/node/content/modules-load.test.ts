/**
 * Every module of src/content loads. A module whose top-level code throws (a table that cannot be
 * built, a TextDecoder for an unknown encoding) fails every test file that imports it statically,
 * and Vitest reports that as a failed file, not as a failed test: the mutation runner would not
 * see it. Imported here inside a test, the same failure is a failed test.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = path.resolve(__dirname, '../../../src/content');
const modules = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

describe('src/content', () => {
  it('has modules', () => {
    expect(modules.length).toBeGreaterThan(0);
  });

  it.each(modules)('%s loads', async (file) => {
    await expect(import(path.join(dir, file))).resolves.toBeTypeOf('object');
  });
});
