import type { Payload } from '@temporalio/common';

/**
 * The codec-server wire format (what the Temporal UI and `temporal --codec-endpoint` send):
 * `{payloads: [{metadata: {key: base64}, data: base64}]}`, the proto3 JSON form of Payload.
 */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 4 === 1 || !BASE64.test(value.replace(/-/g, '+').replace(/_/g, '/'))) {
    throw new TypeError(`${field} must be base64`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

export function payloadFromJson(json: unknown, index: number): Payload {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError(`payloads[${index}] must be an object`);
  const { metadata, data } = json as Record<string, unknown>;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    throw new TypeError(`payloads[${index}].metadata must be an object`);
  }
  const decodedMetadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries((metadata ?? {}) as Record<string, unknown>)) {
    decodedMetadata[key] = fromBase64(value, `payloads[${index}].metadata.${key}`);
  }
  return { metadata: decodedMetadata, data: data === undefined ? new Uint8Array() : fromBase64(data, `payloads[${index}].data`) };
}

export function payloadToJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) metadata[key] = Buffer.from(value).toString('base64');
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}
