import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Metadata of an encrypted payload: the encoding names the scheme, the key id picks the key. */
export const ENCODING = 'binary/encrypted';
export const METADATA_ENCODING_KEY = 'encoding';
export const METADATA_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CodecKey {
  id: string;
  /** 32 bytes: AES-256. */
  key: Buffer;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Parses `ICP_CODEC_KEYS`: `kid1:base64key,kid2:base64key`, each key 32 bytes. The first is the
 * active key (new payloads); the others only decrypt payloads written before a rotation.
 */
export function parseCodecKeys(text: string | undefined): CodecKey[] {
  if (!text || !text.trim()) return [];
  const keys = text.split(',').map((entry, index) => {
    const [id, material, ...rest] = entry.trim().split(':');
    if (!id || !material || rest.length > 0) throw new Error(`ICP_CODEC_KEYS entry ${index + 1} must be kid:base64key`);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new Error(`ICP_CODEC_KEYS entry ${index + 1}: key id '${id}' may use letters, digits, . _ - only`);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32) throw new Error(`ICP_CODEC_KEYS key '${id}' must be 32 bytes (base64), not ${key.length}`);
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('ICP_CODEC_KEYS names a key id twice');
  return keys;
}

/**
 * Temporal Payload Codec: AES-256-GCM over the whole serialised payload (its metadata, so the
 * encoding of the value, included), with the key id in the outer metadata so keys can rotate.
 * Payloads without the encrypted encoding (histories written before encryption) pass through
 * unchanged, so old workflows stay readable and replayable.
 *
 * Hand-written on node:crypto (as Temporal's own encryption sample is): no maintained package
 * implements the codec interface, and the cipher itself is the platform's.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly active: CodecKey;

  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.active = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: encoder.encode(ENCODING), [METADATA_KEY_ID]: encoder.encode(this.active.id) },
        data: new Uint8Array(data),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || decoder.decode(encoding) !== ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[METADATA_KEY_ID];
      const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
      const key = this.byId.get(keyId);
      if (!key) throw new CodecError(`No codec key '${keyId}' is configured (ICP_CODEC_KEYS)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new CodecError('Encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new CodecError(`Encrypted payload does not authenticate with key '${keyId}'`);
      }
      const decoded = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: decoded.metadata ?? {}, data: decoded.data ?? new Uint8Array() };
    });
  }
}

/** A payload that cannot be decrypted: unknown key id, truncated, or tampered with. */
export class CodecError extends Error {
  override name = 'CodecError';
}

/** The data converter the API's client and the worker share: encrypted when keys are configured. */
export function codecDataConverter(keys: CodecKey[]): { payloadCodecs: PayloadCodec[] } | undefined {
  return keys.length ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : undefined;
}
