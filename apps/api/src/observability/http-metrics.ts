import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { FINAL_STAGES } from '../../../../libs/domain/src';

/** Transitions are `POST /v1/cases/{id}/<action>` (documents and their reviews included). */
const TRANSITION_ROUTE = /^\/v1\/cases\/:id\/([a-z-]+)$/;

/** How a transition ended, from its status: applied (2xx), refused by the rules (4xx), failed (5xx). */
function outcome(status: number): string {
  if (status < 400) return 'applied';
  if (status < 500) return 'refused';
  return 'failed';
}

/**
 * The API's Prometheus registry (one per app, so tests booting several apps do not collide):
 * HTTP request durations by route and status, transitions by action and outcome, and at scrape
 * time, from PostgreSQL, the open cases by stage and the projection lag of the newest event.
 */
@Injectable()
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly transitions = new Counter({
    name: 'icp_transitions_total',
    help: 'Case transitions requested over HTTP, by action and outcome (applied, refused, failed)',
    labelNames: ['action', 'outcome'],
    registers: [this.registry],
  });

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'icp_open_cases',
      help: 'Cases not in a final stage, by stage (from the projection)',
      labelNames: ['stage'],
      registers: [this.registry],
      async collect() {
        const rows: { stage: string; count: string }[] = await db.query(
          'SELECT stage, count(*) AS count FROM cases WHERE NOT (stage = ANY($1)) GROUP BY stage',
          [FINAL_STAGES],
        );
        this.reset();
        for (const row of rows) this.set({ stage: row.stage }, Number(row.count));
      },
    });
    new Gauge({
      name: 'icp_projection_lag_seconds',
      help: 'Seconds between the newest projected transition\'s decision in the workflow (event at) and its row being written to the projection (projected_at)',
      registers: [this.registry],
      async collect() {
        const rows: { lag: string | null }[] = await db.query(
          'SELECT EXTRACT(EPOCH FROM projected_at - at) AS lag FROM case_events WHERE projected_at IS NOT NULL ORDER BY projected_at DESC LIMIT 1',
        );
        this.reset();
        if (rows[0]?.lag != null) this.set(Number(rows[0].lag));
      },
    });
  }

  /** One finished request: its duration, and a transition's outcome. */
  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.observe({ method, route, status: String(status) }, seconds);
    const transition = method === 'POST' ? TRANSITION_ROUTE.exec(route) : null;
    if (transition) this.transitions.inc({ action: transition[1], outcome: outcome(status) });
  }
}
