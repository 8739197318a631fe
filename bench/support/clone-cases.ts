import type { ClientBase, Pool } from 'pg';

/**
 * Fills the read model with `n` cases cloned from a real projected case with SQL (fast, and the JSON
 * is real): stages, provinces and assignees spread over the rows, one in 97 overdue, created one
 * second apart. Then ANALYZE, so the planner sees the table as it is.
 */
export async function cloneCases(db: Pick<ClientBase | Pool, 'query'>, template: unknown, n: number): Promise<void> {
  await db.query(
    `INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                        icp_number, search_text, next_deadline_at, view, created_at, updated_at)
     SELECT gen_random_uuid(), 'ICP-B-' || lpad(g::text, 7, '0'),
            (ARRAY['PREPARING','INITIAL_REVIEW','MIIT_REVIEW','RETURNED','COMPLETED','AWAITING_CERTIFICATE'])[1 + g % 6],
            1, (ARRAY['CN-ZJ','CN-BJ','CN-SH','CN-GD','CN-JS'])[1 + g % 5],
            'Bench Co ' || g, 'XX:bench co ' || g, 'officer-' || (g % 50),
            NULL, 'icp-b-' || lpad(g::text, 7, '0') || ' bench co ' || g || ' site' || g || '.cn',
            CASE WHEN g % 97 = 0 THEN now() - interval '1 day' ELSE now() + interval '3 days' END,
            jsonb_set(jsonb_set($1::jsonb, '{id}', to_jsonb(gen_random_uuid()::text)), '{reference}', to_jsonb('ICP-B-' || g)),
            now() - (g || ' seconds')::interval, now()
       FROM generate_series(1, $2::int) g`,
    [JSON.stringify(template), n],
  );
  await db.query('ANALYZE cases');
}
