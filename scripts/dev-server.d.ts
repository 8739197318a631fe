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
}): Promise<DevServer>;
export function freePort(): Promise<number>;
