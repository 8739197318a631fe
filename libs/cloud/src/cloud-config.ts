import { readFileSync } from 'node:fs';

/** Where the Alibaba Cloud adapter finds its account; `null` from {@link loadAlibabaCloudConfig} means none is configured. */
export interface AlibabaCloudConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token, for temporary credentials. */
  securityToken?: string;
  /** A RAM role to assume with the AccessKey (STS AssumeRole). */
  roleArn?: string;
  /** The region of the CDN/Alidns calls and of DescribeRegions. */
  regionId: string;
  /** Regions to look for instances in; empty means every region DescribeRegions lists. */
  regions: string[];
  /** `http://127.0.0.1:port`: one endpoint (and protocol) for every product; for tests. */
  endpoint?: string;
  timeoutMs: number;
}

/** `NAME`, or the contents of the file `NAME_FILE` names (secrets mounted as files). */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, 'utf8').trim();
  return env[name] || undefined;
}

export function loadAlibabaCloudConfig(env: NodeJS.ProcessEnv = process.env): AlibabaCloudConfig | null {
  const accessKeyId = secret(env, 'ALIBABA_CLOUD_ACCESS_KEY_ID');
  const accessKeySecret = secret(env, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET');
  if (!accessKeyId && !accessKeySecret) return null;
  if (!accessKeyId || !accessKeySecret) {
    throw new Error('Set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (or their _FILE variants), or neither');
  }
  const endpoint = env.ICP_ALIBABA_CLOUD_ENDPOINT || undefined;
  if (endpoint && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
    throw new Error(`ICP_ALIBABA_CLOUD_ENDPOINT must be http(s)://host[:port], not '${endpoint}'`);
  }
  return {
    accessKeyId,
    accessKeySecret,
    securityToken: secret(env, 'ALIBABA_CLOUD_SECURITY_TOKEN'),
    roleArn: env.ALIBABA_CLOUD_ROLE_ARN || undefined,
    regionId: env.ALIBABA_CLOUD_REGION_ID || 'cn-hangzhou',
    regions: (env.ICP_ALIBABA_CLOUD_REGIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    endpoint,
    timeoutMs: 10_000,
  };
}
