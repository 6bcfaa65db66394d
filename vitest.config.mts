import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Two projects: Worker code runs in workerd (real miniflare KV, Cache API); the upload CLI and
// end-to-end drivers run in Node, against the same on-disk KV that `wrangler dev` reads.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: { IMAGE_SIGNING_KEY: 'test-signing-key' },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['tests/worker/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/node/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
