import { ValidationFailedError } from '../../../../libs/domain/src';

/** What the API itself puts in a keyset cursor: an ISO instant PostgreSQL takes, and a row id. */
const CURSOR_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(last: { createdAt: string; id: string } | null): string | null {
  return last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null;
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof createdAt === 'string' && CURSOR_INSTANT.test(createdAt) && !Number.isNaN(Date.parse(createdAt)) && UUID.test(id)) {
      return { createdAt, id };
    }
  } catch {
    // fall through
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'cursor must be a nextCursor this API returned' }]);
}
