import { describe, expect, it } from 'vitest';
import { configPathFromArgs, DevArgumentError, optionValue, planDev } from '../../../src/dev/dev-plan';
import { parseWranglerToml, type WranglerProject } from '../../../src/dev/project-config';

function project(toml = ''): WranglerProject {
  return parseWranglerToml(`name = "edge-content-proxy"\n${toml}`);
}
const LOCAL = project('[vars]\nSITE_URL = "http://localhost:8787"\n');
const NONE = new Map<string, string>();

describe('planDev: SITE_URL follows the port when it is local', () => {
  it.each([
    {
      name: 'no arguments: the configured SITE_URL already names the default port',
      args: [],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'http://localhost:8787',
      source: 'port',
      added: [],
    },
    {
      name: '--port 8790',
      args: ['--port', '8790'],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'http://localhost:8790',
      source: 'port',
      added: ['--var', 'SITE_URL:http://localhost:8790'],
    },
    {
      name: '--port=8790',
      args: ['--port=8790'],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'http://localhost:8790',
      source: 'port',
      added: ['--var', 'SITE_URL:http://localhost:8790'],
    },
    {
      name: 'the host of a local SITE_URL is kept (127.0.0.1)',
      args: ['--port', '9000'],
      proj: project('[vars]\nSITE_URL = "http://127.0.0.1:8787/"\n'),
      devVars: NONE,
      siteUrl: 'http://127.0.0.1:9000',
      source: 'port',
      added: ['--var', 'SITE_URL:http://127.0.0.1:9000'],
    },
    {
      name: 'no SITE_URL anywhere',
      args: ['--port', '8790'],
      proj: project(),
      devVars: NONE,
      siteUrl: 'http://localhost:8790',
      source: 'port',
      added: ['--var', 'SITE_URL:http://localhost:8790'],
    },
    {
      name: 'wrangler.toml [dev] port and local_protocol',
      args: [],
      proj: project('[vars]\nSITE_URL = "http://localhost:8787"\n[dev]\nport = 9100\nlocal_protocol = "https"\n'),
      devVars: NONE,
      siteUrl: 'https://localhost:9100',
      source: 'port',
      added: ['--var', 'SITE_URL:https://localhost:9100'],
    },
    {
      name: '--local-protocol https',
      args: ['--local-protocol', 'https', '--port', '8443'],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'https://localhost:8443',
      source: 'port',
      added: ['--var', 'SITE_URL:https://localhost:8443'],
    },
    {
      name: '.dev.vars overrides wrangler.toml (still local)',
      args: ['--port', '8790'],
      proj: LOCAL,
      devVars: new Map([['SITE_URL', 'http://[::1]:8787']]),
      siteUrl: 'http://[::1]:8790',
      source: 'port',
      added: ['--var', 'SITE_URL:http://[::1]:8790'],
    },
    {
      name: 'a non-local SITE_URL in wrangler.toml is left alone',
      args: ['--port', '8790'],
      proj: project('[vars]\nSITE_URL = "https://news.example.com/"\n'),
      devVars: NONE,
      siteUrl: 'https://news.example.com',
      source: 'configured',
      added: [],
    },
    {
      name: 'a non-local SITE_URL in .dev.vars is left alone',
      args: ['--port', '8790'],
      proj: LOCAL,
      devVars: new Map([['SITE_URL', 'https://staging.example.com']]),
      siteUrl: 'https://staging.example.com',
      source: 'configured',
      added: [],
    },
    {
      name: '--var SITE_URL:… wins and is not repeated',
      args: ['--port', '8790', '--var', 'A:1', 'SITE_URL:http://localhost:1234'],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'http://localhost:1234',
      source: 'argument',
      added: [],
    },
    {
      name: '--var=SITE_URL:…',
      args: ['--var=SITE_URL:https://x.example.com/'],
      proj: LOCAL,
      devVars: NONE,
      siteUrl: 'https://x.example.com',
      source: 'argument',
      added: [],
    },
  ])('$name', ({ args, proj, devVars, siteUrl, source, added }) => {
    const plan = planDev({ args, project: proj, devVars });
    expect(plan.siteUrl).toBe(siteUrl);
    expect(plan.siteUrlSource).toBe(source);
    expect(plan.wranglerArgs).toEqual([...args, ...added]);
  });

  it('every other argument goes to wrangler untouched, in order', () => {
    const args = ['--ip', '0.0.0.0', '--persist-to', '/tmp/x', '--show-interactive-dev-session=false', '--port', '8790', '--log-level', 'warn'];
    expect(planDev({ args, project: LOCAL, devVars: NONE }).wranglerArgs).toEqual([...args, '--var', 'SITE_URL:http://localhost:8790']);
  });

  it('restricts the Worker wrangler will run: --name, else wrangler.toml name', () => {
    expect(planDev({ args: [], project: LOCAL, devVars: NONE }).workerName).toBe('edge-content-proxy');
    expect(planDev({ args: ['--name', 'other'], project: LOCAL, devVars: NONE }).workerName).toBe('other');
  });

  it('notices --remote', () => {
    expect(planDev({ args: ['--remote'], project: LOCAL, devVars: NONE }).remote).toBe(true);
    expect(planDev({ args: ['-r'], project: LOCAL, devVars: NONE }).remote).toBe(true);
    expect(planDev({ args: [], project: LOCAL, devVars: NONE }).remote).toBe(false);
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number (1-65535), got "abc"'],
    [['--port', '0'], '--port must be a port number (1-65535), got "0"'],
    [['--port', '65536'], '--port must be a port number (1-65535), got "65536"'],
    [['--port'], '--port needs a value'],
    [['--port', '--ip', '1.2.3.4'], '--port needs a value'],
    [['--local-protocol', 'ftp'], '--local-protocol must be http or https, got "ftp"'],
  ])('%j → DevArgumentError %s', (args, message) => {
    expect(() => planDev({ args, project: LOCAL, devVars: NONE })).toThrow(new DevArgumentError(message));
  });
});

describe('optionValue / configPathFromArgs', () => {
  it.each([
    [['--config', 'a.toml'], 'a.toml'],
    [['-c', 'b.toml'], 'b.toml'],
    [['--config=c.toml'], 'c.toml'],
    [['--config', 'a.toml', '--config=d.toml'], 'd.toml'],
    [['--port', '1'], null],
  ])('%j → %s', (args, expected) => {
    expect(configPathFromArgs(args)).toBe(expected);
  });

  it('does not take a flag for a value', () => {
    expect(() => optionValue(['--name', '--port', '1'], '--name')).toThrow('--name needs a value');
  });
});
