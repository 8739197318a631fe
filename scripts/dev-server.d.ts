export interface DevServer {
  address: string;
  uiUrl: string | null;
  pid: number | undefined;
  stop(): Promise<void>;
}
export function startDevServer(options?: {
  port?: number;
  uiPort?: number;
  dbFile?: string;
  headless?: boolean;
  logFile?: string;
  onSpawn?(child: import('node:child_process').ChildProcess): void;
}): Promise<DevServer>;
export function freePort(): Promise<number>;
