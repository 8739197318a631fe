import { mintToken } from '../../support/tokens';
import { randomInt, randomUUID } from 'node:crypto';
import { caseBody, uniqueName } from '../../support/fixtures';

/** The faults' client acts as a supervisor (it assigns cases to others). */
const SUPERVISOR_TOKEN = mintToken({ sub: 'supervisor.faults', role: 'supervisor' }, { expiresInSeconds: 6 * 3600 });

/** One case's script: the requests an officer sends, in order, and the audit event each makes. */

export const STEPS = [
  { name: 'create', event: 'case.created' },
  { name: 'assign', event: 'case.assigned' },
  { name: 'submit', event: 'case.submitted' },
  { name: 'initial-review', event: 'initial-review.approved' },
  { name: 'sms-verification', event: 'sms.verified' },
  { name: 'miit-decision', event: 'miit.approved' },
  { name: 'resolution', event: 'resolution.verified' },
  { name: 'psb-filing', event: 'psb-filing.recorded' },
] as const;

const PAYLOADS: Record<string, object> = {
  assign: { assignee: 'officer.faults' },
  'initial-review': { decision: 'APPROVED' },
  'miit-decision': { decision: 'APPROVED', icpNumber: '浙ICP备2026007777号-1' },
  'psb-filing': { recordNumber: '33010602077777', filedAt: '2026-12-01' },
};

export interface TrafficStats {
  requests: number;
  s503: number;
  other5xx: number;
  networkErrors: number;
  /** 409 IDEMPOTENCY_KEY_REUSED "still being answered": the key's first request never finished. */
  keyInProgress: number;
}

export interface CaseRun {
  applicantName: string;
  caseId: string | null;
  /** Steps answered 2xx at once or after retries (must be applied exactly once). */
  acknowledged: string[];
  /** Steps answered 5xx, then refused on retry (applied by the first attempt, or not at all). */
  ambiguous: string[];
  /** A refusal no fault explains. */
  unexpected: string[];
  /** Steps sent more than once (after a 5xx, a cut connection or a key in progress). */
  retried: string[];
}

/**
 * A client that retries every 5xx and every cut connection with the same Idempotency-Key until it
 * gets an answer, as API.md asks clients to.
 */
export class RetryingClient {
  readonly stats: TrafficStats = { requests: 0, s503: 0, other5xx: 0, networkErrors: 0, keyInProgress: 0 };

  constructor(private readonly baseUrl: () => string) {}

  async send(path: string, body: object, key: string): Promise<{ status: number; body: Record<string, unknown>; retried: boolean }> {
    const giveUp = Date.now() + 180_000;
    let retried = false;
    let inProgressSince: number | null = null;
    for (;;) {
      try {
        this.stats.requests++;
        const res = await fetch(this.baseUrl() + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'Idempotency-Key': key, Authorization: `Bearer ${SUPERVISOR_TOKEN}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
        const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
        // A key whose first request is still being answered (or was cut off with its API): its
        // outcome is to be learnt by asking again, for a while.
        const inProgress = res.status === 409 && answer.code === 'IDEMPOTENCY_KEY_REUSED' && /still being answered/.test(String(answer.message));
        if (inProgress) {
          this.stats.keyInProgress++;
          inProgressSince ??= Date.now();
        }
        if (res.status < 500 && (!inProgress || Date.now() - inProgressSince! > 60_000)) return { status: res.status, body: answer, retried };
        if (res.status === 503) this.stats.s503++;
        else if (res.status >= 500) this.stats.other5xx++;
      } catch {
        this.stats.networkErrors++;
      }
      retried = true;
      if (Date.now() > giveUp) throw new Error(`${path} got no answer within 180 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Opens a new case (the script's first step). */
  async createCase(): Promise<CaseRun> {
    const body = caseBody({}, uniqueName('Faults GmbH'));
    const facts = { ...body, applicant: { ...body.applicant, certificate: { ...body.applicant.certificate!, number: `3301004${String(randomInt(1e8)).padStart(8, '0')}` } } };
    const run: CaseRun = { applicantName: facts.applicant.name, caseId: null, acknowledged: [], ambiguous: [], unexpected: [], retried: [] };
    await this.step(run, STEPS[0].name, facts);
    return run;
  }

  /** Drives a case on through the script's steps up to `steps` (counting the creation). */
  async driveCase(run: CaseRun, steps: number): Promise<CaseRun> {
    for (const step of STEPS.slice(1, steps)) {
      if (!run.caseId || run.unexpected.length) break;
      await this.step(run, step.name, PAYLOADS[step.name] ?? {});
    }
    return run;
  }

  private async step(run: CaseRun, name: string, body: object): Promise<void> {
    const path = name === 'create' ? '/v1/cases' : `/v1/cases/${run.caseId}/${name}`;
    const res = await this.send(path, body, randomUUID());
    if (res.retried) run.retried.push(name);
    if (res.status < 300) {
      run.acknowledged.push(name);
      if (name === 'create') run.caseId = String(res.body.id);
    } else if (res.retried && name !== 'create') {
      run.ambiguous.push(name);
    } else {
      run.unexpected.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  }
}
