import { ConfigError, CONFIG_VARIABLES, loadConfig } from './app-config';

/** Each bad value stops the start with one line naming the variable and what it accepts. */
describe('configuration checked at boot', () => {
  const refused = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(env)}`);
  };

  it('takes the defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.enforceDocuments).toBe(true);
    expect(config.dnsServers).toEqual([]);
    expect(config.updateTimeoutMs).toBe(30_000);
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'icp-cases', tls: undefined });
  });

  it.each([
    ['PORT', '', 'PORT="" is not valid: expected a port number'],
    ['PORT', '70000', 'PORT="70000" is not valid'],
    ['ICP_ENFORCE_DOCUMENTS', '0', 'ICP_ENFORCE_DOCUMENTS="0" is not valid: expected true or false'],
    ['ICP_DNS_SERVERS', 'dns.example:53', 'ICP_DNS_SERVERS="dns.example:53" is not valid: expected a comma-separated list of IP[:port]'],
    ['ICP_DNS_SERVERS', '127.0.0.1:99999', 'ICP_DNS_SERVERS="127.0.0.1:99999" is not valid'],
    ['ICP_SMS_VERIFICATION_WINDOW', '1 day', 'ICP_SMS_VERIFICATION_WINDOW="1 day" is not valid: expected a duration'],
    ['ICP_UPDATE_TIMEOUT', '0s', 'ICP_UPDATE_TIMEOUT="0s" is not valid: expected a duration'],
    ['ICP_MAX_UPLOAD_MB', '-1', 'ICP_MAX_UPLOAD_MB="-1" is not valid: expected a positive number'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL="mysql://x" is not valid: expected a postgres:// URL'],
    ['TEMPORAL_ADDRESS', '', 'TEMPORAL_ADDRESS="" is not valid'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL="loud" is not valid: expected one of'],
  ])('%s=%j stops the start in one line', (name, value, expected) => {
    const message = refused({ [name]: value });
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it("sizes the worker's memory: a cache of 50 in a 192 MiB heap, and a heap too small for the cache is refused", () => {
    expect(loadConfig({})).toMatchObject({ workerHeapMb: 192, worker: { maxCachedWorkflows: 50 } });
    expect(loadConfig({ ICP_WORKER_MAX_CACHED_WORKFLOWS: '100', ICP_WORKER_HEAP_MB: '264' })).toMatchObject({ workerHeapMb: 264 });
    expect(refused({ ICP_WORKER_MAX_CACHED_WORKFLOWS: '100' })).toContain(
      'ICP_WORKER_HEAP_MB=192 is too small for ICP_WORKER_MAX_CACHED_WORKFLOWS=100: it needs at least 264',
    );
    expect(refused({ ICP_WORKER_HEAP_MB: '32' })).toContain('ICP_WORKER_HEAP_MB="32" is not valid: expected a whole number ≥ 64');
  });

  it('names every bad variable at once', () => {
    const message = refused({ PORT: 'x', ICP_ENFORCE_DOCUMENTS: 'yes' });
    expect(message).toContain('PORT="x"');
    expect(message).toContain('ICP_ENFORCE_DOCUMENTS="yes"');
  });

  it('accepts resolvers as IPv4 or [IPv6] with ports, and an empty list as the system\'s', () => {
    expect(loadConfig({ ICP_DNS_SERVERS: '127.0.0.1:5353, [::1]:53,8.8.8.8' }).dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53', '8.8.8.8']);
    expect(loadConfig({ ICP_DNS_SERVERS: '' }).dnsServers).toEqual([]);
  });

  it('reads the console\'s sign-in: OIDC with authority and client together, the token form off in production', () => {
    expect(loadConfig({}).console).toEqual({ oidc: null, tokenSignIn: true });
    expect(
      loadConfig({ CONSOLE_OIDC_AUTHORITY: 'https://login.example.com/realms/icp/', CONSOLE_OIDC_CLIENT_ID: 'icp-console' }).console.oidc,
    ).toEqual({ authority: 'https://login.example.com/realms/icp', clientId: 'icp-console', scope: 'openid profile' });
    expect(refused({ CONSOLE_OIDC_AUTHORITY: 'https://login.example.com' })).toContain('CONSOLE_OIDC_CLIENT_ID=""');
    expect(refused({ CONSOLE_OIDC_AUTHORITY: 'ftp://login.example.com', CONSOLE_OIDC_CLIENT_ID: 'x' })).toContain('CONSOLE_OIDC_AUTHORITY="ftp://login.example.com"');
    expect(refused({ CONSOLE_TOKEN_SIGN_IN: 'yes' })).toContain('CONSOLE_TOKEN_SIGN_IN="yes"');
    expect(loadConfig({ CONSOLE_TOKEN_SIGN_IN: 'false' }).console.tokenSignIn).toBe(false);
  });

  it('covers every variable of the README table', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readme: string = require('node:fs').readFileSync(require('node:path').join(__dirname, '../../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('`config/rules.json` holds'));
    const names = [...table.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z_]+)`/g)].map((n) => n[1]));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(Object.keys(CONFIG_VARIABLES)).toContain(name);
  });
});
