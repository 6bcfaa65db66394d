import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// The D1 schema, applied to each test file's database by tests/worker/helpers/setup.ts.
const migrations = await readD1Migrations('./migrations');

// Two projects: Worker code runs in workerd (real Miniflare KV, D1 and Cache API); the upload CLI
// and end-to-end drivers run in Node, against the same on-disk state that `wrangler dev` reads.
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
              // A generous store timeout: a busy CI machine must not turn a slow local read into a 503
              // (the fault tests set their own short one).
              bindings: { IMAGE_SIGNING_KEY: 'test-signing-key', HOT_CACHE_MS: '0', KV_TIMEOUT_MS: '30000', TEST_MIGRATIONS: migrations },
            },
          }),
        ],
        test: {
          name: 'workers',
          include: ['tests/worker/**/*.test.{ts,tsx}'],
          setupFiles: ['./tests/worker/helpers/setup.ts'],
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
