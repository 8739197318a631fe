import { defaultPayloadConverter } from '@temporalio/common';
import { randomBytes } from 'node:crypto';
import { AesGcmPayloadCodec, CodecError, ENCODING, parseCodecKeys } from './aes-gcm-codec';
import { payloadFromJson, payloadToJson } from './codec-json';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('AES-256-GCM payload codec', () => {
  const passport = 'E98765432';
  const payload = defaultPayloadConverter.toPayload({ principal: { idType: 'PASSPORT', idNumber: passport } })!;

  it('round-trips a payload, and the ciphertext holds neither the value nor its encoding', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(key('k1')));
    const [encrypted] = await codec.encode([payload]);
    expect(text(encrypted.metadata!.encoding)).toBe(ENCODING);
    expect(text(encrypted.metadata!['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encrypted.data!).includes(passport)).toBe(false);
    expect(Buffer.from(encrypted.data!).includes('json/plain')).toBe(false);
    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toEqual({ principal: { idType: 'PASSPORT', idNumber: passport } });
  });

  it('encrypts the same payload differently each time (random IV)', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(key('k1')));
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('reads payloads written under an old key after a rotation, and writes with the new one', async () => {
    const old = key('2026-01');
    const [written] = await new AesGcmPayloadCodec(parseCodecKeys(old)).encode([payload]);
    const rotated = new AesGcmPayloadCodec(parseCodecKeys(`${key('2026-07')},${old}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([written]))[0])).toEqual(defaultPayloadConverter.fromPayload(payload));
    const [fresh] = await rotated.encode([payload]);
    expect(text(fresh.metadata!['encryption-key-id'])).toBe('2026-07');
  });

  it('refuses a payload under a key that is gone, or tampered with', async () => {
    const [written] = await new AesGcmPayloadCodec(parseCodecKeys(key('gone'))).encode([payload]);
    await expect(new AesGcmPayloadCodec(parseCodecKeys(key('other'))).decode([written])).rejects.toBeInstanceOf(CodecError);
    const codec = new AesGcmPayloadCodec(parseCodecKeys(key('k')));
    const [ok] = await codec.encode([payload]);
    const tampered = Buffer.from(ok.data!);
    tampered[20] ^= 1;
    await expect(codec.decode([{ ...ok, data: tampered }])).rejects.toBeInstanceOf(CodecError);
  });

  it('passes unencrypted payloads (histories from before encryption) through', async () => {
    const codec = new AesGcmPayloadCodec(parseCodecKeys(key('k1')));
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('parses ICP_CODEC_KEYS strictly', () => {
    expect(parseCodecKeys(undefined)).toEqual([]);
    expect(parseCodecKeys(`${key('a')}, ${key('b')}`).map((k) => k.id)).toEqual(['a', 'b']);
    expect(() => parseCodecKeys('a:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseCodecKeys('nokey')).toThrow(/kid:base64key/);
    expect(() => parseCodecKeys(`${key('a')},${key('a')}`)).toThrow(/twice/);
  });

  it('speaks the codec-server JSON form', () => {
    const json = payloadToJson(payload);
    expect(payloadFromJson(json, 0)).toEqual({ metadata: payload.metadata, data: new Uint8Array(payload.data!) });
    expect(() => payloadFromJson({ data: '%%%' }, 0)).toThrow(TypeError);
    expect(() => payloadFromJson('x', 0)).toThrow(TypeError);
  });
});
