import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { CaseView, NotificationDraft, NotificationView } from '../../contracts/src';

export interface NotificationFilter {
  recipient?: string;
  /** Only notifications to one of these (an officer: itself and the officers' queue). */
  recipients?: string[];
  caseId?: string;
  /** The reminder rule. */
  rule?: string;
  /** Created at or after this instant (ISO 8601). */
  since?: string;
  unread?: boolean;
  limit: number;
  /** Keyset position: the last row of the previous page, newest first. */
  after?: { createdAt: string; id: string };
}

/** A case row as the sweep reads it. */
export interface SweepCase {
  id: string;
  view: CaseView;
}

interface NotificationRow {
  id: string;
  recipient: string;
  case_id: string;
  case_reference: string;
  rule: NotificationView['rule'];
  kind: NotificationView['kind'];
  deadline: Date;
  title: string;
  message: string;
  source: string;
  created_at: Date;
  read_at: Date | null;
}

const toView = (r: NotificationRow): NotificationView => ({
  id: r.id,
  recipient: r.recipient,
  caseId: r.case_id,
  caseReference: r.case_reference,
  rule: r.rule,
  kind: r.kind,
  deadline: r.deadline.toISOString(),
  title: r.title,
  message: r.message,
  source: r.source,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at ? r.read_at.toISOString() : null,
});

/** Notifications, the reminder sweep's reads and its runs. */
@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Inserts the drafts that were not sent before (unique per recipient, case, rule, kind and
   * deadline) and writes a `notification.sent` audit event for each, in one transaction.
   * Answers only the new ones: running twice sends nothing twice.
   */
  async insertNew(drafts: NotificationDraft[], source: string, at: Date, tx?: EntityManager): Promise<NotificationView[]> {
    if (drafts.length === 0) return [];
    const run = async (m: EntityManager) => {
      const rows: NotificationRow[] = await m.query(
        `INSERT INTO notifications (id, recipient, case_id, case_reference, rule, kind, deadline, title, message, source, created_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                              $8::text[], $9::text[], $10::text[], $11::timestamptz[])
         ON CONFLICT ON CONSTRAINT notifications_once_key DO NOTHING
         RETURNING *`,
        [
          drafts.map(() => randomUUID()),
          drafts.map((d) => d.recipient),
          drafts.map((d) => d.caseId),
          drafts.map((d) => d.caseReference),
          drafts.map((d) => d.rule),
          drafts.map((d) => d.kind),
          drafts.map((d) => d.deadline),
          drafts.map((d) => d.title),
          drafts.map((d) => d.message),
          drafts.map(() => source),
          drafts.map(() => at.toISOString()),
        ],
      );
      if (rows.length > 0) {
        // The audit trail's own sequence numbers belong to the workflow (1, 2, …); events written
        // outside it take negative ones from a sequence of their own, and the trail reads by time.
        await m.query(
          `INSERT INTO case_events (case_id, seq, at, actor, type, from_stage, to_stage, data)
           SELECT n.case_id, -nextval('case_side_event_seq'), n.created_at, 'system', 'notification.sent', c.stage, c.stage,
                  jsonb_build_object('notificationId', n.id, 'recipient', n.recipient, 'rule', n.rule, 'kind', n.kind,
                                     'deadline', n.deadline, 'source', n.source)
             FROM unnest($1::uuid[]) AS ids(id) JOIN notifications n ON n.id = ids.id JOIN cases c ON c.id = n.case_id`,
          [rows.map((r) => r.id)],
        );
      }
      return rows.map(toView);
    };
    return tx ? run(tx) : this.db.transaction(run);
  }

  async list(filter: NotificationFilter): Promise<{ items: NotificationView[]; last: { createdAt: string; id: string } | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.recipient) where.push(`recipient = ${param(filter.recipient)}`);
    if (filter.recipients) where.push(`recipient = ANY(${param(filter.recipients)}::text[])`);
    if (filter.caseId) where.push(`case_id = ${param(filter.caseId)}::uuid`);
    if (filter.rule) where.push(`rule = ${param(filter.rule)}`);
    if (filter.since) where.push(`created_at >= ${param(filter.since)}::timestamptz`);
    if (filter.unread) where.push(`read_at IS NULL`);
    if (filter.after) where.push(`(created_at, id) < (${param(filter.after.createdAt)}::timestamptz, ${param(filter.after.id)}::uuid)`);
    const rows: NotificationRow[] = await this.db.query(
      `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const lastRow = rows.length > filter.limit ? page[page.length - 1] : null;
    return { items: page.map(toView), last: lastRow ? { createdAt: lastRow.created_at.toISOString(), id: lastRow.id } : null };
  }

  /**
   * Marks one read (once: a second call keeps the first time). Null when there is no such
   * notification, or (with `recipients`) none addressed to one of them.
   */
  async markRead(id: string, at: Date, recipients?: string[]): Promise<NotificationView | null> {
    const rows: NotificationRow[] = await this.db.query(
      // (A CTE: TypeORM answers a bare UPDATE … RETURNING as [rows, count].)
      `WITH u AS (UPDATE notifications SET read_at = coalesce(read_at, $2)
          WHERE id = $1 AND ($3::text[] IS NULL OR recipient = ANY($3::text[])) RETURNING *) SELECT * FROM u`,
      [id, at.toISOString(), recipients ?? null],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async bySource(source: string): Promise<NotificationView[]> {
    const rows: NotificationRow[] = await this.db.query(`SELECT * FROM notifications WHERE source = $1 ORDER BY recipient, created_at, id`, [source]);
    return rows.map(toView);
  }

  async findCase(caseId: string): Promise<SweepCase | null> {
    const rows: SweepCase[] = await this.db.query(`SELECT id, view FROM cases WHERE id = $1`, [caseId]);
    return rows[0] ?? null;
  }

  /**
   * One page of the cases the sweep must look at: a running deadline before `deadlineHorizon`,
   * or an instance or certificate expiring by `expiryHorizon`. Keyset on id; the partial and
   * deadline indexes keep it to the due cases, not the whole table.
   */
  async sweepPage(deadlineHorizon: string, expiryHorizon: string, after: string | null, limit: number): Promise<SweepCase[]> {
    return this.db.query(
      `SELECT id, view FROM cases
        WHERE (next_deadline_at <= $1::timestamptz OR instance_expires_on <= $2::date OR certificate_expires_on <= $2::date)
          AND stage NOT IN ('WITHDRAWN', 'NOT_REQUIRED')
          AND ($3::uuid IS NULL OR id > $3::uuid)
        ORDER BY id LIMIT $4`,
      [deadlineHorizon, expiryHorizon, after, limit],
    );
  }

  /** Approved cases (the filing exists: instances to keep watching), by id after `after`. */
  async approvedPage(after: string | null, limit: number): Promise<SweepCase[]> {
    return this.db.query(
      `SELECT id, view FROM cases
        WHERE stage IN ('RESOLVING', 'COMPLETED') AND ($1::uuid IS NULL OR id > $1::uuid)
        ORDER BY id LIMIT $2`,
      [after, limit],
    );
  }

  async startRun(id: string, scheduledFor: string | null, startedAt: string): Promise<void> {
    await this.db.query(
      `INSERT INTO reminder_runs (id, started_at, scheduled_for) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [id, startedAt, scheduledFor],
    );
  }

  async finishRun(id: string, counts: Record<string, number>): Promise<void> {
    await this.db.query(`UPDATE reminder_runs SET finished_at = now(), counts = $2 WHERE id = $1`, [id, JSON.stringify(counts)]);
  }

  async lastRuns(limit: number): Promise<{ id: string; startedAt: string; finishedAt: string | null; scheduledFor: string | null; counts: Record<string, number> }[]> {
    const rows: { id: string; started_at: Date; finished_at: Date | null; scheduled_for: Date | null; counts: Record<string, number> }[] =
      await this.db.query(`SELECT * FROM reminder_runs ORDER BY started_at DESC LIMIT $1`, [limit]);
    return rows.map((r) => ({
      id: r.id,
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      scheduledFor: r.scheduled_for?.toISOString() ?? null,
      counts: r.counts,
    }));
  }
}
