import type { Pool } from 'pg';

export interface FloorActivities {
  floorUpsert(id: string, version: number, value: string): Promise<void>;
}

export const FLOOR_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_floor (
  id text PRIMARY KEY, version integer NOT NULL, value text NOT NULL, updated_at timestamptz NOT NULL)`;

/** The floor's one side effect: an idempotent upsert of one row. */
export function floorActivities(pool: Pool): FloorActivities {
  return {
    async floorUpsert(id, version, value) {
      await pool.query(
        `INSERT INTO bench_floor (id, version, value, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (id) DO UPDATE SET version = GREATEST(bench_floor.version, EXCLUDED.version), value = EXCLUDED.value, updated_at = now()`,
        [id, version, value],
      );
    },
  };
}
