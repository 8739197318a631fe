import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../libs/config/src';
import { toCaseView, type CaseEventRecord, type CaseView } from '../libs/contracts/src';
import { openCase, type CaseFacts, type Stage } from '../libs/domain/src';
import {
  CaseProjectionRepository,
  CaseReadRepository,
  dataSourceOptions,
  DocumentRepository,
  IdempotencyRepository,
  PostgresDocumentStorage,
} from '../libs/persistence/src';
import { caseBody, uniqueName } from './support/fixtures';

/**
 * The persistence layer on the run's real, migrated test database. Other test files use the same
 * database at the same time: every id, reference, name and entity key here is unique to its test.
 */
describe('persistence (real Postgres)', () => {
  const config = loadConfig();
  let ds: DataSource;
  let projection: CaseProjectionRepository;
  let reads: CaseReadRepository;
  let idempotency: IdempotencyRepository;

  beforeAll(async () => {
    const url = process.env.DATABASE_URL!;
    expect(new URL(url).pathname).toContain('test');
    ds = new DataSource(dataSourceOptions(url));
    await ds.initialize();
    projection = new CaseProjectionRepository(ds);
    reads = new CaseReadRepository(ds);
    idempotency = new IdempotencyRepository(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  /** A valid case view (as the workflow would project it), with fields overridden. */
  function view(overrides: Partial<CaseView> = {}, facts: Partial<CaseFacts> = {}): CaseView {
    const now = overrides.createdAt ?? new Date().toISOString();
    const { state } = openCase(
      {
        caseId: overrides.id ?? randomUUID(),
        reference: overrides.reference ?? `ICP-T-${randomUUID()}`,
        facts: { ...(caseBody() as unknown as CaseFacts), ...facts },
        enforceDocuments: false,
      },
      { now, config: config.rules, smsWindowMs: config.smsWindowMs },
    );
    return { ...toCaseView(state), ...overrides };
  }

  function event(seq: number, overrides: Partial<CaseEventRecord> = {}): CaseEventRecord {
    return {
      seq,
      at: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)).toISOString(),
      actor: 'officer.test',
      type: seq === 1 ? 'case.created' : 'case.amended',
      fromStage: seq === 1 ? null : 'PREPARING',
      toStage: 'PREPARING',
      data: { seq },
      ...overrides,
    };
  }

  const project = (v: CaseView, entityKey = `T:${randomUUID()}`, e = event(v.version)) =>
    projection.project({ view: v, entityKey, event: e });

  const row = async (id: string) => {
    const [r]: { version: number; stage: string; view: CaseView; search_text: string }[] = await ds.query(
      'SELECT version, stage, view, search_text FROM cases WHERE id = $1',
      [id],
    );
    return r;
  };

  describe('schema', () => {
    it('the committed migrations match the entities (nothing left to generate)', async () => {
      const { upQueries } = await ds.driver.createSchemaBuilder().log();
      const pending = upQueries.map((q) => q.query);
      if (pending.length) console.error(`Entities and migrations differ; a migration would run:\n${pending.join(';\n')}`);
      expect(pending).toEqual([]);
    });
  });

  describe('projection', () => {
    it('writes one event and leaves the row unchanged when the same (case, seq) is projected twice', async () => {
      const first = view({ assignee: 'officer.first' });
      await project(first, `T:${randomUUID()}`, event(1));
      const before = await row(first.id);

      // A replay of the same activity: same case, same seq and version, even if the payload differs.
      const replay = { ...first, assignee: 'officer.replayed', updatedAt: new Date().toISOString() };
      await project(replay, `T:${randomUUID()}`, event(1, { actor: 'someone.else', data: { replayed: true } }));

      expect(await row(first.id)).toEqual(before);
      expect(await reads.findView(first.id)).toEqual(first);
      expect(await reads.events(first.id)).toEqual([expect.objectContaining({ seq: 1, actor: 'officer.test', data: { seq: 1 } })]);
    });

    it('never lets an older version overwrite a newer one (v2 then v1 leaves v2)', async () => {
      const v1 = view();
      const updatedAt = new Date(Date.parse(v1.createdAt) + 1000).toISOString();
      const v2: CaseView = { ...v1, version: 2, stage: 'INITIAL_REVIEW', updatedAt };
      await project(v2, 'T:ordering', event(2, { toStage: 'INITIAL_REVIEW' }));
      await project(v1, 'T:ordering', event(1));

      expect(await row(v1.id)).toMatchObject({ version: 2, stage: 'INITIAL_REVIEW', view: v2 });
      expect((await reads.events(v1.id)).map((e) => e.seq)).toEqual([1, 2]);

      const v3: CaseView = { ...v2, version: 3, stage: 'MIIT_REVIEW' };
      await project(v3, 'T:ordering', event(3, { toStage: 'MIIT_REVIEW' }));
      expect(await row(v1.id)).toMatchObject({ version: 3, stage: 'MIIT_REVIEW' });
    });

    it('keeps the lower-cased search text of reference, name, ICP number, website names and domains', async () => {
      const v = view({ icpNumber: '浙ICP备12345678号' });
      await project(v);
      const { search_text } = await row(v.id);
      for (const part of [v.reference, v.applicant.name, '浙icp备12345678号', ...v.websites.flatMap((w) => [w.name, ...w.domains])]) {
        expect(search_text).toContain(part.toLowerCase());
      }
    });
  });

  describe('reads', () => {
    it('pages through a list newest first, each case exactly once (keyset on created_at, id)', async () => {
      const assignee = `officer.${randomUUID()}`;
      const base = Date.UTC(2029, 5, 1);
      const created: CaseView[] = [];
      // Inserted in a shuffled order so the order of the pages comes from created_at, not insertion.
      for (const i of [...Array(30).keys()].sort(() => Math.random() - 0.5)) {
        const v = view({ assignee, createdAt: new Date(base + i * 60_000).toISOString() });
        created.push(v);
        await project(v);
      }
      const expected = [...created].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).map((v) => v.id);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let after: { createdAt: string; id: string } | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await reads.list({ assignee, limit: 7, after });
        seen.push(...page.items.map((v) => v.id));
        pageSizes.push(page.items.length);
        if (!page.last) break;
        after = page.last;
      }
      expect(pageSizes).toEqual([7, 7, 7, 7, 2]);
      expect(seen).toEqual(expected);
    });

    it('breaks created_at ties by id, so no case is skipped or repeated across pages', async () => {
      const assignee = `officer.${randomUUID()}`;
      const createdAt = new Date(Date.UTC(2029, 6, 1)).toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const v = view({ assignee, createdAt });
        ids.push(v.id);
        await project(v);
      }
      const seen: string[] = [];
      let after: { createdAt: string; id: string } | undefined;
      do {
        const page = await reads.list({ assignee, limit: 2, after });
        seen.push(...page.items.map((v) => v.id));
        after = page.last ?? undefined;
      } while (after);
      expect(seen).toEqual([...ids].sort().reverse());
    });

    it('filters by stage, province and assignee', async () => {
      const assignee = `officer.${randomUUID()}`;
      const other = `officer.${randomUUID()}`;
      const a = view({ assignee, stage: 'PREPARING', submissionProvince: 'CN-ZJ' });
      const b = view({ assignee, stage: 'INITIAL_REVIEW', submissionProvince: 'CN-ZJ' });
      const c = view({ assignee, stage: 'INITIAL_REVIEW', submissionProvince: 'CN-BJ' });
      const d = view({ assignee: other, stage: 'INITIAL_REVIEW', submissionProvince: 'CN-BJ' });
      for (const v of [a, b, c, d]) await project(v);
      const ids = async (filter: Parameters<CaseReadRepository['list']>[0]) =>
        (await reads.list(filter)).items.map((v) => v.id).sort();

      expect(await ids({ assignee, limit: 50 })).toEqual([a.id, b.id, c.id].sort());
      expect(await ids({ assignee: other, limit: 50 })).toEqual([d.id]);
      expect(await ids({ assignee, stage: 'INITIAL_REVIEW', limit: 50 })).toEqual([b.id, c.id].sort());
      expect(await ids({ assignee, province: 'CN-BJ', limit: 50 })).toEqual([c.id]);
      expect(await ids({ assignee, stage: 'PREPARING', province: 'CN-BJ', limit: 50 })).toEqual([]);
    });

    it('searches domain, applicant name and reference with q, case-insensitively, % and _ taken literally', async () => {
      const assignee = `officer.${randomUUID()}`;
      const tag = randomUUID().slice(0, 8);
      const website = (caseBody().websites as CaseFacts['websites'])[0];
      const percent = view({ assignee }, { applicant: { ...view().applicant, name: `Percent 50% Holding ${tag}` } });
      const underscore = view({ assignee }, { applicant: { ...view().applicant, name: `Under a_b Trading ${tag}` } });
      const plain = view(
        { assignee, reference: `ICP-T-REF-${tag}` },
        {
          applicant: { ...view().applicant, name: `Plain 50x aXb Fabrik ${tag}` },
          websites: [{ ...website, domains: [`shop-${tag}.example.cn`] }],
        },
      );
      for (const v of [percent, underscore, plain]) await project(v);
      const q = async (text: string) => (await reads.list({ assignee, q: text, limit: 50 })).items.map((v) => v.id).sort();

      expect(await q(tag.toUpperCase())).toEqual([percent.id, underscore.id, plain.id].sort());
      expect(await q(`SHOP-${tag}.Example.CN`)).toEqual([plain.id]); // a domain
      expect(await q(`fabrik ${tag}`)).toEqual([plain.id]); // the applicant's name
      expect(await q(`icp-t-ref-${tag}`)).toEqual([plain.id]); // the reference
      expect(await q('50%')).toEqual([percent.id]); // not "50" followed by anything
      expect(await q('a_b')).toEqual([underscore.id]); // not "a", any character, "b"
      expect(await q('%')).toEqual([percent.id]);
      expect(await q('\\')).toEqual([]);
      expect(await q(`nothing-like-${tag}`)).toEqual([]);
    });

    it('lists overdue cases: the earliest running deadline has passed', async () => {
      const assignee = `officer.${randomUUID()}`;
      const past = new Date(Date.now() - 3_600_000).toISOString();
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const base = view().deadlines;
      const overdueReview = view({ assignee, deadlines: { ...base, reviewDue: past } });
      const overdueSms = view({ assignee, deadlines: { ...base, smsVerificationDue: past, reviewDue: future } });
      const overduePsb = view({ assignee, deadlines: { ...base, psbFilingDue: '2020-01-01' }, psbFiling: null });
      const running = view({ assignee, deadlines: { ...base, reviewDue: future } });
      const psbFiled = view({
        assignee,
        deadlines: { ...base, psbFilingDue: '2020-01-01' },
        psbFiling: { recordNumber: '33010602000001', filedAt: '2019-12-20' },
      });
      const none = view({ assignee, deadlines: { ...base, smsVerificationDue: null, reviewDue: null, psbFilingDue: null } });
      for (const v of [overdueReview, overdueSms, overduePsb, running, psbFiled, none]) await project(v);

      const { items } = await reads.list({ assignee, overdue: true, limit: 50 });
      expect(items.map((v) => v.id).sort()).toEqual([overdueReview.id, overdueSms.id, overduePsb.id].sort());
      expect((await reads.list({ assignee, overdue: false, limit: 50 })).items).toHaveLength(6);

      // The same filter counts; list rows carry the running deadlines the summary is made of.
      expect(await reads.counts({ assignee, overdue: true })).toEqual({ total: 3, byStage: { [overdueReview.stage]: 3 } });
      const rows = new Map((await reads.list({ assignee, limit: 50 })).items.map((r) => [r.id, r]));
      expect(rows.get(overdueSms.id)).toMatchObject({ smsVerificationDue: past, reviewDue: future, psbFilingDue: null });
      expect(rows.get(overduePsb.id)).toMatchObject({ psbFilingDue: '2020-01-01' });
      expect(rows.get(psbFiled.id)).toMatchObject({ psbFilingDue: null }); // filed: no longer running
    });

    it('reads a list row from columns and a few fields of the view: domains, blocking findings, no personal data', async () => {
      const assignee = `officer.${randomUUID()}`;
      const website = view().websites[0];
      const v = view(
        {
          assignee,
          findings: [
            { rule: 'INSTANCE_PAY_AS_YOU_GO', severity: 'BLOCKING', message: 'pay-as-you-go', path: 'hosting.instances[0].billing' },
            { rule: 'CALENDAR_ESTIMATED', severity: 'WARNING', message: 'estimated', path: 'deadlines' },
          ] as CaseView['findings'],
        },
        { websites: [{ ...website, domains: ['a.example.cn', 'b.example.cn'] }, { ...website, name: 'Second', domains: ['c.example.cn'] }] },
      );
      await project(v);
      const [row] = (await reads.list({ assignee, limit: 1 })).items;
      expect(row).toEqual({
        id: v.id,
        reference: v.reference,
        stage: v.stage,
        version: v.version,
        filingType: v.filingType,
        submissionProvince: v.submissionProvince,
        applicantName: v.applicant.name,
        countryOfRegistration: v.applicant.countryOfRegistration,
        applicantId: null,
        domains: ['a.example.cn', 'b.example.cn', 'c.example.cn'],
        assignee,
        icpNumber: null,
        smsVerificationDue: null,
        reviewDue: null,
        psbFilingDue: null,
        blockingFindings: 1,
        createdAt: new Date(v.createdAt).toISOString(),
        updatedAt: new Date(v.updatedAt).toISOString(),
      });
      expect(await reads.counts({ assignee, unassigned: true })).toEqual({ total: 0, byStage: {} });
      expect((await reads.counts({ unassigned: true, q: v.reference.toLowerCase() })).total).toBe(0);
    });

    it('answers the audit trail oldest first, with ISO instants', async () => {
      const v = view();
      const entity = `T:${randomUUID()}`;
      await project({ ...v, version: 3 }, entity, event(3, { at: '2030-01-01T08:00:03+08:00', toStage: 'INITIAL_REVIEW' }));
      await project({ ...v, version: 1 }, entity, event(1, { at: '2030-01-01T00:00:01.000Z' }));
      await project({ ...v, version: 2 }, entity, event(2, { at: '2030-01-01T00:00:02.123Z', data: { nested: { ok: [1, 'two'] } } }));

      const trail = await reads.events(v.id);
      expect(trail.map((e) => [e.seq, e.at, e.type, e.fromStage, e.toStage])).toEqual([
        [1, '2030-01-01T00:00:01.000Z', 'case.created', null, 'PREPARING'],
        [2, '2030-01-01T00:00:02.123Z', 'case.amended', 'PREPARING', 'PREPARING'],
        [3, '2030-01-01T00:00:03.000Z', 'case.amended', 'PREPARING', 'INITIAL_REVIEW'],
      ]);
      expect(trail[0]).toEqual(event(1, { at: '2030-01-01T00:00:01.000Z' }));
      expect(trail[1].data).toEqual({ nested: { ok: [1, 'two'] } });
      expect(await reads.events(randomUUID())).toEqual([]);
    });

    it('answers null for a case it does not know, and references from the sequence', async () => {
      expect(await reads.findView(randomUUID())).toBeNull();
      const year = new Date().getUTCFullYear();
      const [first, second] = [await reads.nextReference(year), await reads.nextReference(year)];
      expect(first).toMatch(new RegExp(`^ICP-${year}-\\d{6}$`));
      expect(Number(second.slice(-6))).toBeGreaterThan(Number(first.slice(-6)));
    });

    it('finds the entity\'s other cases with an open filing order, oldest first', async () => {
      const entity = `DE:${uniqueName().toLowerCase()}`;
      const at = (minute: number) => new Date(Date.UTC(2029, 0, 1, 0, minute)).toISOString();
      // RETURNED (corrections pending) counts as open too (DOMAIN.md).
      const stages: Stage[] = ['INITIAL_REVIEW', 'AWAITING_SMS_VERIFICATION', 'MIIT_REVIEW', 'PREPARING', 'RETURNED', 'COMPLETED', 'WITHDRAWN'];
      const cases = stages.map((stage, i) => view({ stage, createdAt: at(10 - i) }));
      for (const v of cases) await project(v, entity);
      const self = view({ stage: 'INITIAL_REVIEW', createdAt: at(30) });
      await project(self, entity);
      await project(view({ stage: 'MIIT_REVIEW' }), `${entity}-other`); // another entity

      // Oldest first: RETURNED was created at minute 6, MIIT_REVIEW at 8, AWAITING_SMS_VERIFICATION at 9, INITIAL_REVIEW at 10.
      const [initial, sms, miit, , returned] = cases.map((c) => c.reference);
      expect(await projection.findOpenOrders(self.id, entity)).toEqual([returned, miit, sms, initial]);
      expect(await projection.findOpenOrders(cases[0].id, entity)).toEqual([returned, miit, sms, self.reference]);
      expect(await projection.findOpenOrders(randomUUID(), `T:${randomUUID()}`)).toEqual([]);
    });
  });

  describe('document contents', () => {
    it('purges contents no document refers to once older than the TTL, and nothing else', async () => {
      const documents = new DocumentRepository(ds, new PostgresDocumentStorage(ds));
      const [orphan, fresh] = [randomUUID(), randomUUID()];
      await documents.storeContent(orphan, Buffer.from('never reached the workflow'));
      await documents.storeContent(orphan, Buffer.from('stored again: nothing changes'));
      await documents.storeContent(fresh, Buffer.from('an upload under way'));
      await ds.query(`UPDATE document_contents SET stored_at = now() - interval '2 days' WHERE document_id = $1`, [orphan]);
      expect(await documents.purgeUnreferencedContents(86_400_000)).toBeGreaterThanOrEqual(1);
      const rows: { document_id: string }[] = await ds.query('SELECT document_id FROM document_contents WHERE document_id = ANY($1)', [
        [orphan, fresh],
      ]);
      expect(rows.map((r) => r.document_id)).toEqual([fresh]);
    });
  });

  describe('idempotency keys', () => {
    const LEASE = 60_000;
    const TTL = 86_400_000;
    const reserve = (scope: string, key: string, hash: string, lease = LEASE, ttl = TTL) => idempotency.reserve(scope, key, hash, lease, ttl);
    const reserved = (operationId: string, takenOver = false, remembered = {}) => ({ state: 'reserved', operationId, remembered, takenOver });

    it('reserves a key for one operation, reports it in progress, then answers the stored response', async () => {
      const scope = `POST /v1/cases/${randomUUID()}/submit`;
      const key = randomUUID();
      const first = await reserve(scope, key, 'hash-1');
      expect(first).toEqual(reserved(expect.any(String)));
      const op = (first as { operationId: string }).operationId;
      expect(await reserve(scope, key, 'hash-1')).toEqual({ state: 'in-progress', leasedForMs: expect.any(Number) });
      expect(await reserve(scope, key, 'hash-2')).toEqual({ state: 'different-request' });

      const response = { id: randomUUID(), stage: 'INITIAL_REVIEW', findings: [{ rule: 'X', path: 'a.b' }], note: null };
      await idempotency.complete(scope, key, op, 200, response);
      expect(await reserve(scope, key, 'hash-1')).toEqual({ state: 'answered', statusCode: 200, response });
      expect(await reserve(scope, key, 'hash-2')).toEqual({ state: 'different-request' });

      // Another scope is another key space, and another operation.
      const other = await reserve(`${scope}/other`, key, 'hash-2');
      expect(other).toEqual(reserved(expect.any(String)));
      expect((other as { operationId: string }).operationId).not.toBe(op);
    });

    it('stores responses of any JSON shape (strings, lists, nothing)', async () => {
      const scope = `POST /v1/cases/${randomUUID()}`;
      const shapes: unknown[] = ['just a string', [1, { two: 2 }], null, undefined, 42];
      for (const [i, response] of shapes.entries()) {
        const { operationId } = (await reserve(scope, `k${i}`, 'h')) as { operationId: string };
        await idempotency.complete(scope, `k${i}`, operationId, 201, response);
        expect(await reserve(scope, `k${i}`, 'h')).toEqual({ state: 'answered', statusCode: 201, response: response ?? null });
      }
    });

    it('lets a retry take over a key its holder let go (5xx), with the same operation and remembered values; never an answered one', async () => {
      const scope = `POST /v1/cases/${randomUUID()}/withdraw`;
      const [open, done] = [randomUUID(), randomUUID()];
      const { operationId } = (await reserve(scope, open, 'h')) as { operationId: string };
      await idempotency.remember(scope, open, operationId, 'reference', 'ICP-2026-000042');
      await idempotency.letGo(scope, open, operationId);
      expect(await reserve(scope, open, 'another-hash')).toEqual({ state: 'different-request' });
      expect(await reserve(scope, open, 'h')).toEqual(reserved(operationId, true, { reference: 'ICP-2026-000042' }));
      expect(await reserve(scope, open, 'h')).toEqual({ state: 'in-progress', leasedForMs: expect.any(Number) });

      const held = (await reserve(scope, done, 'h')) as { operationId: string };
      await idempotency.complete(scope, done, held.operationId, 409, { error: 'conflict' });
      await idempotency.letGo(scope, done, held.operationId);
      expect(await reserve(scope, done, 'h')).toEqual({ state: 'answered', statusCode: 409, response: { error: 'conflict' } });
    });

    it('lets a retry take over a key whose holder died once the lease ran out', async () => {
      const scope = `POST /v1/cases/${randomUUID()}/assign`;
      const key = randomUUID();
      const { operationId } = (await reserve(scope, key, 'h', 300)) as { operationId: string };
      expect(await reserve(scope, key, 'h', 300)).toMatchObject({ state: 'in-progress' });
      await new Promise((r) => setTimeout(r, 400));
      expect(await reserve(scope, key, 'h', 300)).toEqual(reserved(operationId, true));
    });

    it('forgets keys after the TTL: at reservation, and by the purge', async () => {
      const scope = `POST /v1/cases/${randomUUID()}/assign`;
      const [a, b] = [randomUUID(), randomUUID()];
      const first = (await reserve(scope, a, 'h')) as { operationId: string };
      await idempotency.complete(scope, a, first.operationId, 200, { ok: true });
      const other = (await reserve(scope, b, 'h')) as { operationId: string };
      await idempotency.complete(scope, b, other.operationId, 200, { ok: true });
      // Two days old (only this test's keys: other tests share the database).
      await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE scope = $1`, [scope]);
      // Reserving an expired key starts a new operation.
      const again = await reserve(scope, a, 'other-hash');
      expect(again).toEqual(reserved(expect.any(String)));
      expect((again as { operationId: string }).operationId).not.toBe(first.operationId);
      expect(await idempotency.purge(TTL)).toBeGreaterThanOrEqual(1);
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE scope = $1`, [scope]);
      expect(n).toBe(1); // b purged, a reserved afresh
    });
  });
});
