import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../libs/config/src';
import { toCaseView, type CaseView, type ProjectCaseInput } from '../libs/contracts/src';
import { openCase, type CaseFacts } from '../libs/domain/src';
import { CaseProjectionRepository, dataSourceOptions } from '../libs/persistence/src';
import { searchText, nextDeadline } from '../libs/persistence/src/case-projection.repository';
import { caseBody } from '../test/support/fixtures';
import { closedLoop } from './support/measure';

/**
 * The projection activity alone (`npm run bench:all`, or `jest bench/projection.bench.ts`): the
 * one-statement projection of CaseProjectionRepository against the transaction it replaced
 * (BEGIN, event, row, claim release, COMMIT: five round trips), kept here as it was, side by side
 * on the same database in the same run, at concurrency 1 and 8.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** The previous projection, verbatim but for the shared helpers: the reference the new one is measured against. */
async function projectInTransaction(db: DataSource, { view, entityKey, event }: ProjectCaseInput): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id, seq) DO NOTHING RETURNING seq`,
      [view.id, event.seq, event.at, event.actor, event.type, event.fromStage, event.toStage, event.data],
    );
    await tx.query(
      `INSERT INTO cases (id, reference, stage, version, submission_province, applicant_name, entity_key, assignee,
                          icp_number, search_text, next_deadline_at, view, created_at, updated_at,
                          sms_verification_due, review_due, psb_filing_due, instance_expires_on, certificate_expires_on, applicant_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (id) DO UPDATE SET
         stage = EXCLUDED.stage, version = EXCLUDED.version, submission_province = EXCLUDED.submission_province,
         applicant_name = EXCLUDED.applicant_name, entity_key = EXCLUDED.entity_key, assignee = EXCLUDED.assignee,
         icp_number = EXCLUDED.icp_number, search_text = EXCLUDED.search_text,
         next_deadline_at = EXCLUDED.next_deadline_at, view = EXCLUDED.view, updated_at = EXCLUDED.updated_at,
         sms_verification_due = EXCLUDED.sms_verification_due, review_due = EXCLUDED.review_due,
         psb_filing_due = EXCLUDED.psb_filing_due, instance_expires_on = EXCLUDED.instance_expires_on,
         certificate_expires_on = EXCLUDED.certificate_expires_on
       WHERE cases.version < EXCLUDED.version`,
      [
        view.id, view.reference, view.stage, view.version, view.submissionProvince, view.applicant.name, entityKey, view.assignee,
        view.icpNumber, searchText(view), nextDeadline(view), view, view.createdAt, view.updatedAt,
        view.deadlines.smsVerificationDue, view.deadlines.reviewDue, view.psbFiling ? null : view.deadlines.psbFilingDue,
        view.deadlines.instanceExpiresOn ?? null, view.deadlines.certificateExpiresOn ?? null, view.applicantId ?? null,
      ],
    );
    await tx.query(`DELETE FROM order_claims WHERE case_id = $1 AND claimed_version < $2`, [view.id, view.version]);
  });
}

describe('the projection activity: one statement against the transaction it replaced', () => {
  const config = loadConfig();
  let ds: DataSource;
  let repository: CaseProjectionRepository;

  beforeAll(async () => {
    ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL!));
    await ds.initialize();
    repository = new CaseProjectionRepository(ds);
  });
  afterAll(() => ds?.destroy());

  function newView(): CaseView {
    const { state } = openCase(
      { caseId: randomUUID(), reference: `ICP-P-${randomUUID()}`, facts: caseBody() as unknown as CaseFacts, enforceDocuments: false },
      { now: new Date().toISOString(), config: config.rules, smsWindowMs: config.smsWindowMs },
    );
    return toCaseView(state);
  }

  it('measures both at concurrency 1 and 8', async () => {
    const lines: string[] = [];
    for (const c of [1, 8]) {
      const forms = {
        transaction: (input: ProjectCaseInput) => projectInTransaction(ds, input),
        'one statement': (input: ProjectCaseInput) => repository.project(input),
      };
      const stats: Record<string, Awaited<ReturnType<typeof closedLoop>>> = {};
      // Twice each, alternating, so drift in the machine's load hits both.
      for (const round of [0, 1]) {
        for (const [name, project] of round ? Object.entries(forms).reverse() : Object.entries(forms)) {
          const views = Array.from({ length: c }, newView);
          const s = await closedLoop(c, (SECONDS * 1000) / 2, async (w, i) => {
            const v = { ...views[w], version: views[w].version + i + 1 };
            await project({ view: v, entityKey: `P:${v.id}`, event: { seq: v.version, at: new Date().toISOString(), actor: 'bench', type: 'case.assigned', fromStage: v.stage, toStage: v.stage, data: {} } });
          });
          const prev = stats[name];
          stats[name] = prev ? { ...s, n: prev.n + s.n, perSecond: Math.round(((prev.perSecond + s.perSecond) / 2) * 10) / 10, p50: Math.max(prev.p50, s.p50), p95: Math.max(prev.p95, s.p95), p99: Math.max(prev.p99, s.p99) } : s;
          expect(s.errors).toBe(0);
        }
      }
      const a = stats.transaction;
      const b = stats['one statement'];
      lines.push(
        `c=${c}: transaction ${a.perSecond}/s p50 ${a.p50} p99 ${a.p99} ms; one statement ${b.perSecond}/s p50 ${b.p50} p99 ${b.p99} ms; ` +
          `${Math.round((b.perSecond / a.perSecond) * 100) / 100}× throughput, p50 ${Math.round((b.p50 / a.p50) * 100) / 100}×`,
      );
    }
    console.log(`projection activity (${SECONDS} s per concurrency):\n${lines.join('\n')}`);
  }, 600_000);
});
