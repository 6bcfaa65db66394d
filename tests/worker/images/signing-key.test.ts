import { describe, expect, it } from 'vitest';
import { imageRoutePath, verifyImageRoute } from '../../../src/images/image-url';
import { DEV_SIGNING_KEY, isLocalOrigin, logSigningKeyProblemOnce, SigningKeyError, signingKeyProblem } from '../../../src/images/signing-key';

describe('isLocalOrigin', () => {
  it.each([
    ['http://localhost:8787', true],
    ['http://localhost', true],
    ['https://LOCALHOST.:8443/', true],
    ['http://app.localhost:8787', true],
    ['http://127.0.0.1:8790', true],
    ['http://127.45.6.7', true],
    ['http://[::1]:8787', true],
    ['http://0x7f.1:8787', true], // the URL parser makes it 127.0.0.1
    ['https://news.example.com', false],
    ['http://localhost.example.com', false],
    ['http://mylocalhost', false],
    ['http://128.0.0.1', false],
    ['http://0.0.0.0:8787', false],
    ['http://192.168.1.5:8787', false],
    ['http://[::ffff:127.0.0.1]', false],
    ['http://[::2]', false],
    ['ftp://localhost', false],
    ['localhost:8787', false],
    ['', false],
    ['not a url', false],
  ])('%s → %s', (siteUrl, expected) => {
    expect(isLocalOrigin(siteUrl)).toBe(expected);
  });
});

describe('signingKeyProblem', () => {
  const MISSING =
    'IMAGE_SIGNING_KEY is not set: set a long random value with `npx wrangler secret put IMAGE_SIGNING_KEY` (for local development, `npm run dev` creates .dev.vars)';
  const devKeyOn = (site: string) =>
    `IMAGE_SIGNING_KEY is the public development key from .dev.vars.example, but SITE_URL (${site}) is not a local origin: set a long random value with \`npx wrangler secret put IMAGE_SIGNING_KEY\``;

  it.each([
    { key: undefined, site: 'http://localhost:8787', expected: MISSING },
    { key: '', site: 'http://localhost:8787', expected: MISSING },
    { key: '  \n', site: 'https://news.example.com', expected: MISSING },
    { key: 'dev-only-insecure-image-signing-key', site: 'https://news.example.com', expected: devKeyOn('https://news.example.com') },
    { key: ' dev-only-insecure-image-signing-key\n', site: 'https://news.example.com', expected: devKeyOn('https://news.example.com') },
    { key: 'dev-only-insecure-image-signing-key', site: 'http://0.0.0.0:8787', expected: devKeyOn('http://0.0.0.0:8787') },
    { key: 'dev-only-insecure-image-signing-key', site: '', expected: devKeyOn('') },
    { key: 'dev-only-insecure-image-signing-key', site: 'http://localhost:8787', expected: null },
    { key: 'dev-only-insecure-image-signing-key', site: 'http://127.0.0.1:8790', expected: null },
    { key: 'dev-only-insecure-image-signing-key', site: 'http://[::1]:8787', expected: null },
    { key: 'a-real-secret-Zr8Jq1', site: 'https://news.example.com', expected: null },
    { key: 'a-real-secret-Zr8Jq1', site: 'http://localhost:8787', expected: null },
    { key: 'DEV-ONLY-INSECURE-IMAGE-SIGNING-KEY', site: 'https://news.example.com', expected: null }, // another key (HMAC keys are case-sensitive)
  ])('key $key on $site → $expected', ({ key, site, expected }) => {
    expect(signingKeyProblem(key, site)).toBe(expected);
  });

  it('DEV_SIGNING_KEY is the value .dev.vars.example ships', async () => {
    const example = (await import('../../../.dev.vars.example?raw')).default as string;
    expect(example).toMatch(new RegExp(`^IMAGE_SIGNING_KEY=${DEV_SIGNING_KEY}$`, 'm'));
  });
});

describe('imageRoutePath never signs with a bad key', () => {
  it.each([
    { key: '', site: 'http://localhost:8787' },
    { key: DEV_SIGNING_KEY, site: 'https://news.example.com' },
  ])('key "$key" on $site → SigningKeyError', ({ key, site }) => {
    let thrown: unknown = null;
    try {
      imageRoutePath('https://img.example.com/a.png', key, site);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SigningKeyError);
    expect((thrown as SigningKeyError).problem).toBe(signingKeyProblem(key, site));
    expect((thrown as SigningKeyError).name).toBe('SigningKeyError');
  });

  it('signs with the development key on a local site, and the signature verifies', () => {
    const path = imageRoutePath('https://img.example.com/a.png', DEV_SIGNING_KEY, 'http://localhost:8790');
    const [, , sig = '', payload = ''] = path.split('/');
    expect(verifyImageRoute(sig, payload, DEV_SIGNING_KEY)).toBe('https://img.example.com/a.png');
  });

  it('a good key after a bad one signs again (the memo follows the arguments)', () => {
    expect(() => imageRoutePath('https://img.example.com/a.png', DEV_SIGNING_KEY, 'https://a.example.com')).toThrow(SigningKeyError);
    expect(imageRoutePath('https://img.example.com/a.png', 'real-key', 'https://a.example.com')).toMatch(/^\/img\/[A-Za-z0-9_-]{22}\//);
    expect(() => imageRoutePath('https://img.example.com/a.png', DEV_SIGNING_KEY, 'https://a.example.com')).toThrow(SigningKeyError);
  });
});

describe('logSigningKeyProblemOnce', () => {
  it('logs a problem once, prefixed, and a different problem again', () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(logSigningKeyProblemOnce('problem one (log test)', log)).toBe(true);
    expect(logSigningKeyProblemOnce('problem one (log test)', log)).toBe(false);
    expect(logSigningKeyProblemOnce('problem two (log test)', log)).toBe(true);
    expect(lines).toEqual(['server misconfigured: problem one (log test)', 'server misconfigured: problem two (log test)']);
  });
});
