import type { PayloadCodec } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, WorkflowNotFoundError } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import {
  caseWorkflowId,
  getProjectionStateQuery,
  type CaseEventRecord,
  type CaseProjectionState,
  type CaseView,
  type ProjectCaseInput,
} from '../../contracts/src';
import { CaseProjectionRepository, CLAIM_HOLDING_STAGES } from '../../persistence/src/case-projection.repository';

/** One disagreement between a case's workflow and its projection. */
export interface Drift {
  caseId: string;
  kind:
    | 'workflow-missing'
    | 'row-missing'
    | 'row-differs'
    | 'event-missing'
    | 'event-differs'
    | 'event-extra'
    | 'document-missing'
    | 'document-differs'
    | 'claim-missing'
    | 'claim-stale';
  detail: string;
  repaired: boolean;
}

export interface VerifyOptions {
  repair: boolean;
  /** Only these cases (tests share a database); default: every case row and every case workflow. */
  caseIds?: string[];
}

export interface VerifyReport {
  cases: number;
  drift: Drift[];
}

/** Workflow statuses in which the engine, not the lifecycle, ended the case. */
const ENDED_BY_ENGINE = ['TERMINATED', 'TIMED_OUT', 'FAILED'];

interface Expected {
  status: string;
  state: CaseProjectionState;
  view: CaseView;
  events: Map<number, CaseEventRecord>;
}

/**
 * The reconciliation behind `npm run verify-projection`: for every case, the workflow's own state
 * (its `getProjectionState` query, which a worker answers for running and closed runs alike) and
 * the audit events it scheduled for projection (read back from its history, across
 * continue-as-new runs) against the case row, its events, its documents and its order claim.
 * A workflow the engine terminated or timed out is expected to offer no action. With `repair`,
 * the projection is rewritten from the workflow.
 */
export class ProjectionVerifier {
  private readonly projection: CaseProjectionRepository;

  constructor(
    private readonly db: DataSource,
    private readonly client: Client,
  ) {
    this.projection = new CaseProjectionRepository(db);
  }

  async verify(options: VerifyOptions): Promise<VerifyReport> {
    const ids = options.caseIds ?? (await this.allCaseIds());
    const drift: Drift[] = [];
    for (const id of ids) {
      // A running case may be between its state change and its projection: only what is still
      // there on a second look, a moment later, is drift.
      let found = await this.verifyCase(id, false);
      if (found.length) {
        await new Promise((r) => setTimeout(r, 1000));
        found = await this.verifyCase(id, options.repair);
      }
      drift.push(...found);
    }
    return { cases: ids.length, drift };
  }

  private async allCaseIds(): Promise<string[]> {
    const ids = new Set<string>((await this.db.query(`SELECT id FROM cases ORDER BY created_at`)).map((r: { id: string }) => r.id));
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = 'caseWorkflow'` })) {
      if (wf.workflowId.startsWith('Case:')) ids.add(wf.workflowId.slice('Case:'.length));
    }
    return [...ids];
  }

  private async verifyCase(id: string, repair: boolean): Promise<Drift[]> {
    const drift: Drift[] = [];
    const found = (kind: Drift['kind'], detail: string, repaired = false) => drift.push({ caseId: id, kind, detail, repaired });
    const expected = await this.expected(id);
    if (!expected) {
      found('workflow-missing', 'the case row has no workflow');
      return drift;
    }
    const { view, state } = expected;

    const [row] = (await this.db.query(`SELECT stage, version, view, entity_key FROM cases WHERE id = $1`, [id])) as {
      stage: string;
      version: number;
      view: CaseView;
      entity_key: string;
    }[];
    if (!row || row.stage !== view.stage || row.version !== view.version || canonical(row.view) !== canonical(view) || row.entity_key !== state.entityKey) {
      const detail = row
        ? `row ${row.stage} v${row.version}, workflow ${view.stage} v${view.version} (${expected.status}); differs in ${differingFields(row.view, view).join(', ') || 'entity key'}`
        : `workflow ${view.stage} v${view.version} (${expected.status}) has no row`;
      if (repair) await this.projection.repairRow(view, state.entityKey);
      found(row ? 'row-differs' : 'row-missing', detail, repair);
    }

    const rows = (await this.db.query(
      `SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor, type, from_stage, to_stage
         FROM case_events WHERE case_id = $1 ORDER BY seq`,
      [id],
    )) as { seq: number; at: string; actor: string; type: string; from_stage: string | null; to_stage: string }[];
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    for (const [seq, event] of expected.events) {
      const stored = bySeq.get(seq);
      if (!stored) {
        if (repair) await this.writeEvent(id, event, false);
        found('event-missing', `event ${seq} ${event.type}`, repair);
      } else if (stored.type !== event.type || stored.actor !== event.actor || stored.to_stage !== event.toStage || stored.from_stage !== event.fromStage || stored.at !== event.at) {
        if (repair) await this.writeEvent(id, event, true);
        found('event-differs', `event ${seq}: stored ${stored.type} → ${stored.to_stage}, workflow ${event.type} → ${event.toStage}`, repair);
      }
    }
    for (const stored of rows) {
      if (!expected.events.has(stored.seq)) {
        if (repair) await this.db.query(`DELETE FROM case_events WHERE case_id = $1 AND seq = $2`, [id, stored.seq]);
        found('event-extra', `event ${stored.seq} ${stored.type} was never projected by the workflow`, repair);
      }
    }

    const documents = (await this.db.query(`SELECT id, status FROM documents WHERE case_id = $1`, [id])) as { id: string; status: string }[];
    const docRows = new Map(documents.map((d) => [d.id, d]));
    for (const doc of view.documents) {
      if (!doc.id) continue;
      const stored = docRows.get(doc.id);
      if (!stored) {
        // Its content was never stored: nothing to repair it from.
        found('document-missing', `document ${doc.id} (${doc.type}) is counted by the workflow but has no row`);
      } else if (stored.status !== doc.status) {
        if (repair) await this.db.query(`UPDATE documents SET status = $2 WHERE id = $1`, [doc.id, doc.status]);
        found('document-differs', `document ${doc.id}: row ${stored.status}, workflow ${doc.status}`, repair);
      }
    }

    const claims = (await this.db.query(`SELECT entity_key, claimed_version FROM order_claims WHERE case_id = $1`, [id])) as {
      entity_key: string;
      claimed_version: number;
    }[];
    const holds = CLAIM_HOLDING_STAGES.includes(view.stage) && view.allowedActions.length > 0;
    for (const claim of claims) {
      if (!holds || claim.entity_key !== state.entityKey) {
        if (repair) await this.db.query(`DELETE FROM order_claims WHERE case_id = $1 AND entity_key = $2`, [id, claim.entity_key]);
        found('claim-stale', `claim on ${claim.entity_key} held in ${view.stage}${view.allowedActions.length ? '' : ' (closed)'}`, repair);
      }
    }
    if (holds && !claims.some((c) => c.entity_key === state.entityKey)) {
      let repaired = false;
      if (repair) {
        const inserted = (await this.db.query(
          `INSERT INTO order_claims (entity_key, case_id, reference, claimed_version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (entity_key) DO NOTHING RETURNING case_id`,
          [state.entityKey, id, view.reference, view.version - 1],
        )) as unknown[];
        repaired = inserted.length > 0;
      }
      found('claim-missing', `case in ${view.stage} holds no claim on ${state.entityKey}`, repaired);
    }
    return drift;
  }

  private async writeEvent(caseId: string, event: CaseEventRecord, overwrite: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (case_id, seq) DO ${overwrite ? 'UPDATE SET at = EXCLUDED.at, actor = EXCLUDED.actor, type = EXCLUDED.type, from_stage = EXCLUDED.from_stage, to_stage = EXCLUDED.to_stage, data = EXCLUDED.data' : 'NOTHING'}`,
      [caseId, event.seq, event.at, event.actor, event.type, event.fromStage, event.toStage, event.data],
    );
  }

  /** The workflow's state and audit events, or null when the case has no workflow. */
  private async expected(id: string): Promise<Expected | null> {
    const handle = this.client.workflow.getHandle(caseWorkflowId(id));
    let status: string;
    try {
      status = (await handle.describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
    const state = await handle.query(getProjectionStateQuery);
    const view = ENDED_BY_ENGINE.includes(status) ? { ...state.view, allowedActions: [] } : state.view;
    const events = await this.projectedEvents(caseWorkflowId(id));
    // Events past the workflow's sequence were scheduled but never acknowledged (a run cut off).
    for (const seq of events.keys()) if (seq > state.seq) events.delete(seq);
    return { status, state, view, events };
  }

  /** A payload from history, through the client's payload codecs (histories hold ciphertext). */
  private async decode(payload: unknown): Promise<unknown> {
    let decoded = [payload] as Parameters<PayloadCodec['decode']>[0];
    for (const codec of [...this.client.options.loadedDataConverter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
    return decoded[0];
  }

  /** Every audit event the workflow scheduled for projection, from each run's history. */
  private async projectedEvents(workflowId: string): Promise<Map<number, CaseEventRecord>> {
    const events = new Map<number, CaseEventRecord>();
    const { namespace } = this.client.options;
    let runId: string | undefined = (await this.client.workflow.getHandle(workflowId).describe()).runId;
    while (runId) {
      let previous: string | undefined;
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await this.client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId }, nextPageToken });
        for (const event of page.history?.events ?? []) {
          const started = event.workflowExecutionStartedEventAttributes;
          if (started?.continuedExecutionRunId) previous = started.continuedExecutionRunId;
          const scheduled = event.activityTaskScheduledEventAttributes;
          if (scheduled?.activityType?.name !== 'projectCase' || !scheduled.input?.payloads?.[0]) continue;
          const input = defaultPayloadConverter.fromPayload<ProjectCaseInput>((await this.decode(scheduled.input.payloads[0])) as never);
          events.set(input.event.seq, input.event);
        }
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      runId = previous;
    }
    return events;
  }
}

/** JSON with sorted keys, so two equal views compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function differingFields(row: CaseView, view: CaseView): string[] {
  const keys = new Set([...Object.keys(row ?? {}), ...Object.keys(view)]);
  return [...keys].filter((k) => canonical((row as unknown as Record<string, unknown>)?.[k]) !== canonical((view as unknown as Record<string, unknown>)[k]));
}
