import { checkUrlForm, isBlockedAddress, resolveTarget, WebhookAllowList, WebhookTargetRefused } from './ssrf-guard';
import { signBody, verifySignature } from './signature';

const none = new WebhookAllowList([]);
const target = (url: string, allow = none, resolve?: (h: string) => Promise<{ address: string; family: number }[]>) =>
  resolveTarget(checkUrlForm(url, false), allow, resolve);

describe('webhook SSRF guard (checked on resolved addresses)', () => {
  it.each([
    ['127.0.0.1'],
    ['127.8.9.10'],
    ['169.254.169.254'],
    ['10.0.0.1'],
    ['172.16.5.4'],
    ['192.168.1.1'],
    ['100.64.0.1'],
    ['0.0.0.0'],
    ['::1'],
    ['::ffff:127.0.0.1'],
    ['fe80::1'],
    ['fd00::1'],
  ])('%s is refused', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([['47.98.10.20'], ['8.8.8.8'], ['2400:3200::1']])('%s is public', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it('refuses a name resolving to loopback (localhost), and names every refused address', async () => {
    await expect(target('http://localhost:8080/x')).rejects.toThrow(WebhookTargetRefused);
    const rebinding = async () => [
      { address: '47.98.10.20', family: 4 },
      { address: '169.254.169.254', family: 4 },
    ];
    await expect(target('https://hooks.example.com/x', none, rebinding)).rejects.toThrow(/169\.254\.169\.254/);
  });

  it('the allow-list admits host names, addresses and CIDRs', async () => {
    const allow = new WebhookAllowList(['127.0.0.1', '10.1.0.0/16', 'receiver.internal']);
    await expect(target('http://127.0.0.1:9/x', allow)).resolves.toMatchObject({ address: '127.0.0.1', family: 4 });
    await expect(target('http://10.1.2.3/x', allow)).resolves.toMatchObject({ address: '10.1.2.3' });
    await expect(target('http://10.2.0.1/x', allow)).rejects.toThrow(WebhookTargetRefused);
    const internal = async () => [{ address: '192.168.7.7', family: 4 }];
    await expect(target('http://receiver.internal/x', allow, internal)).resolves.toMatchObject({ address: '192.168.7.7' });
  });

  it('https outside development; no credentials; http(s) only', () => {
    expect(() => checkUrlForm('http://hooks.example.com/x', true)).toThrow(/https/);
    expect(checkUrlForm('https://hooks.example.com/x', true).hostname).toBe('hooks.example.com');
    expect(() => checkUrlForm('https://a:b@hooks.example.com/x', true)).toThrow(/credentials/);
    expect(() => checkUrlForm('file:///etc/passwd', false)).toThrow(/http/);
    expect(() => checkUrlForm('not a url', false)).toThrow(/absolute/);
  });

  it('signs the raw body: sha256=<hex HMAC-SHA256>', () => {
    // echo -n '{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(signBody('{"a":1}', 'secret')).toBe('sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494');
    expect(verifySignature('{"a":1}', 'secret', signBody('{"a":1}', 'secret'))).toBe(true);
    expect(verifySignature('{"a":2}', 'secret', signBody('{"a":1}', 'secret'))).toBe(false);
  });
});
