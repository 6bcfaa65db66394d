import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseDevVars, parseWranglerToml, projectRoot, readWranglerProject } from '../../../src/dev/project-config';

describe('parseWranglerToml', () => {
  it('reads the real wrangler.toml: name, every [vars] entry as a string', () => {
    const project = readWranglerProject();
    const raw = parseToml(readFileSync(path.join(projectRoot, 'wrangler.toml'), 'utf8')) as { name: string; vars: Record<string, string> };
    expect(project.name).toBe(raw.name);
    expect(Object.fromEntries(project.vars)).toEqual(raw.vars);
    expect(project.vars.get('SITE_URL')).toBe('http://localhost:8787');
  });

  it('reads [env.NAME] vars without inheriting the top-level ones, and [dev]', () => {
    const project = parseWranglerToml(
      [
        'name = "w"',
        '[vars]',
        'SITE_URL = "http://localhost:8787"',
        'FEED_SIZE = 20',
        '[dev]',
        'port = 9000',
        'local_protocol = "https"',
        '[env.staging]',
        'name = "w-staging"',
        '[env.staging.vars]',
        'SITE_URL = "https://staging.example.com"',
        '[env.bare]',
      ].join('\n'),
    );
    expect(Object.fromEntries(project.vars)).toEqual({ SITE_URL: 'http://localhost:8787', FEED_SIZE: '20' });
    expect(project.devPort).toBe(9000);
    expect(project.devLocalProtocol).toBe('https');
    expect(project.envs.get('staging')).toEqual({ name: 'w-staging', vars: new Map([['SITE_URL', 'https://staging.example.com']]) });
    expect(project.envs.get('bare')).toEqual({ name: null, vars: new Map() });
  });

  it.each([
    ['name = ', 'custom.toml: '],
    ['[vars]\nA = "b"', 'custom.toml: no `name` for the Worker'],
  ])('names the file in errors (%j)', (text, start) => {
    expect(() => parseWranglerToml(text, 'custom.toml')).toThrow(start);
  });
});

describe('parseDevVars', () => {
  it.each([
    ['IMAGE_SIGNING_KEY=dev-only-insecure-image-signing-key', { IMAGE_SIGNING_KEY: 'dev-only-insecure-image-signing-key' }],
    ['# comment\n\nA=1\r\nB = two  # trailing comment', { A: '1', B: 'two' }],
    ['A="quoted # not a comment"\nB=\'single\'', { A: 'quoted # not a comment', B: 'single' }],
    ['export SITE_URL=https://x.example.com', { SITE_URL: 'https://x.example.com' }],
    ['not a line\n=value\nA=', { A: '' }],
    ['A=1\nA=2', { A: '2' }],
  ])('%j', (text, expected) => {
    expect(Object.fromEntries(parseDevVars(text))).toEqual(expected);
  });

  it('reads .dev.vars.example as wrangler would', () => {
    const vars = parseDevVars(readFileSync(path.join(projectRoot, '.dev.vars.example'), 'utf8'));
    expect(vars.get('IMAGE_SIGNING_KEY')).toBe('dev-only-insecure-image-signing-key');
  });
});
