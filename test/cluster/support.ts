/** Typed access to the cluster scripts (plain CommonJS, shared with `npm run stack:cluster`). */
import type { ChildProcess } from 'node:child_process';

export interface ClusterProcess {
  name: string;
  role: 'api' | 'worker';
  child: ChildProcess;
  logFile: string;
  url?: string;
  /** A worker's Prometheus endpoint (each worker gets a port of its own). */
  metricsUrl?: string;
}

export interface Cluster {
  dir: string;
  databaseUrl: string;
  temporal: { address: string; namespace: string; pid: number; logFile: string };
  processes: ClusterProcess[];
  proxy: { url: string; backends: { url: URL; healthy: boolean; served: number }[] };
  stop(options?: { drop?: boolean }): Promise<void>;
}

export interface TemporalServer {
  address: string;
  namespace: string;
  logFile: string;
  stop(): Promise<void>;
  drop(): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const { startCluster } = require('../../scripts/cluster') as {
  startCluster(options: Record<string, unknown>): Promise<Cluster>;
};
export const { startTemporalServer } = require('../../scripts/temporal-server') as {
  startTemporalServer(options: Record<string, unknown>): Promise<TemporalServer>;
};
export const { freePort } = require('../../scripts/dev-server') as { freePort(): Promise<number> };
/* eslint-enable @typescript-eslint/no-require-imports */
