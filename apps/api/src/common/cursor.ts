import { ValidationFailedError } from '../../../../libs/domain/src';

/** What the API itself puts in a keyset cursor: an ISO instant PostgreSQL takes, and a row id. */
const CURSOR_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether every field of the instant names a real moment (2026-02-30 or 24:00 do not): Date.parse
 * rolls such values over, PostgreSQL refuses them. Compared field by field with what they parse to.
 */
function isRealInstant(instant: string): boolean {
  const time = Date.parse(instant);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 19) === instant.slice(0, 19);
}

export function encodeCursor(last: { createdAt: string; id: string } | null): string | null {
  return last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null;
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof createdAt === 'string' && CURSOR_INSTANT.test(createdAt) && isRealInstant(createdAt) && UUID.test(id)) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor this API returned' }]);
}
