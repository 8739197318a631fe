import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A webhook as the API answers it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  createdBy: string;
  createdAt: string;
}

export interface WebhookDeliveryView {
  id: string;
  webhookId: string;
  eventType: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED' | 'REFUSED';
  createdAt: string;
  finishedAt: string | null;
  attempts: { attempt: number; at: string; outcome: string; statusCode: number | null; error: string | null; durationMs: number }[];
}

/** What the delivery activity needs to send one delivery. */
export interface PendingDelivery {
  id: string;
  eventType: string;
  body: string;
  status: WebhookDeliveryView['status'];
  url: string;
  secret: string;
  deleted: boolean;
}

/** The delivery id is derived from the webhook and what is delivered, so enqueueing twice is one delivery. */
export function deliveryId(webhookId: string, dedupeKey: string): string {
  const h = createHash('sha256').update(`${webhookId}\n${dedupeKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

@Injectable()
export class WebhookRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(input: { url: string; events: string[]; secret: string; createdBy: string }): Promise<WebhookView> {
    const id = randomUUID();
    const [row]: WebhookRow[] = await this.db.query(
      `INSERT INTO webhooks (id, url, events, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING *`,
      [id, input.url, input.events, input.secret, input.createdBy],
    );
    return toView(row);
  }

  async list(): Promise<WebhookView[]> {
    const rows: WebhookRow[] = await this.db.query(`SELECT * FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at, id`);
    return rows.map(toView);
  }

  async find(id: string): Promise<WebhookView | null> {
    const rows: WebhookRow[] = await this.db.query(`SELECT * FROM webhooks WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Soft delete: its deliveries stay readable; pending ones are not sent any more. */
  async delete(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`WITH u AS (UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id) SELECT id FROM u`, [id]);
    return rows.length > 0;
  }

  /** Live webhooks that want this event type (or `*`). */
  async subscribers(eventType: string): Promise<{ id: string }[]> {
    return this.db.query(`SELECT id FROM webhooks WHERE deleted_at IS NULL AND ($1 = ANY(events) OR '*' = ANY(events)) ORDER BY id`, [eventType]);
  }

  /**
   * Records a delivery of `body` to each webhook that wants `eventType`, once per (webhook,
   * dedupeKey). Answers the ids of deliveries still to be sent (new or pending).
   */
  async enqueue(eventType: string, dedupeKey: string, payload: (deliveryId: string) => unknown): Promise<string[]> {
    const ids: string[] = [];
    for (const { id: webhookId } of await this.subscribers(eventType)) {
      const id = deliveryId(webhookId, dedupeKey);
      const body = JSON.stringify(payload(id));
      const rows: { id: string; status: string }[] = await this.db.query(
        `INSERT INTO webhook_deliveries (id, webhook_id, event_type, dedupe_key, body, status, created_at)
         VALUES ($1, $2, $3, $4, $5, 'PENDING', now())
         ON CONFLICT ON CONSTRAINT webhook_deliveries_once_key DO UPDATE SET status = webhook_deliveries.status
         RETURNING id, status`,
        [id, webhookId, eventType, dedupeKey, body],
      );
      if (rows[0]?.status === 'PENDING') ids.push(rows[0].id);
    }
    return ids;
  }

  async pending(id: string): Promise<PendingDelivery | null> {
    const rows: PendingDelivery[] = await this.db.query(
      `SELECT d.id, d.event_type AS "eventType", d.body, d.status, w.url, w.secret, (w.deleted_at IS NOT NULL) AS deleted
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async recordAttempt(
    deliveryId: string,
    attempt: number,
    outcome: string,
    statusCode: number | null,
    error: string | null,
    durationMs: number,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, outcome, status_code, error, duration_ms)
       VALUES ($1, $2, now(), $3, $4, $5, $6) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [deliveryId, attempt, outcome, statusCode, error?.slice(0, 2000) ?? null, Math.round(durationMs)],
    );
  }

  async finish(deliveryId: string, status: 'DELIVERED' | 'FAILED' | 'REFUSED'): Promise<void> {
    await this.db.query(`UPDATE webhook_deliveries SET status = $2, finished_at = now() WHERE id = $1 AND status = 'PENDING'`, [deliveryId, status]);
  }

  async deliveries(webhookId: string, limit = 200): Promise<WebhookDeliveryView[]> {
    const rows: (Omit<WebhookDeliveryView, 'createdAt' | 'finishedAt'> & { createdAt: Date; finishedAt: Date | null })[] = await this.db.query(
      `SELECT d.id, d.webhook_id AS "webhookId", d.event_type AS "eventType", d.status, d.created_at AS "createdAt",
              d.finished_at AS "finishedAt",
              coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'at', a.at, 'outcome', a.outcome,
                                   'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
                          FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]'::jsonb) AS attempts
         FROM webhook_deliveries d WHERE d.webhook_id = $1 ORDER BY d.created_at, d.id LIMIT $2`,
      [webhookId, limit],
    );
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null }));
  }
}

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  created_by: string;
  created_at: Date;
}

const toView = (r: WebhookRow): WebhookView => ({
  id: r.id,
  url: r.url,
  events: r.events,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});
