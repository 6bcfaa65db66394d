import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
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
              // The isolate memory cache is off by default in tests so each request exercises KV and
              // the Cache API; tests of the memory cache turn it on explicitly.
              bindings: { IMAGE_SIGNING_KEY: 'test-signing-key', HOT_CACHE_MS: '0' },
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
