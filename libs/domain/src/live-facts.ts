import { finding } from './rules';
import type { Finding, Instance } from './types';

/** What the cloud account says of an instance named on a case (read by an activity, passed in). */
export interface LiveInstance {
  instanceId: string;
  regionId: string;
  billing: Instance['billing'];
  expiresAt: Instance['expiresAt'];
  publicIp: string | null;
}

const COMPARED = ['regionId', 'billing', 'expiresAt', 'publicIp'] as const;

/**
 * DOMAIN.md's INSTANCE_NOT_FOUND and INSTANCE_FACTS_CHANGED: the case's instances against the
 * cloud account's live facts. `live` holds the instances the account has (any order); an instance
 * of the case missing there is not found, one whose facts differ has changed — BLOCKING before
 * approval, WARNING after (the filing is done; the difference is a risk to it).
 */
export function compareLiveInstances(instances: Instance[], live: LiveInstance[], approved: boolean): Finding[] {
  const byId = new Map(live.map((l) => [l.instanceId, l]));
  const severity = approved ? 'WARNING' : 'BLOCKING';
  return instances.flatMap((i, n): Finding[] => {
    const found = byId.get(i.instanceId);
    if (!found) {
      return [
        finding('INSTANCE_NOT_FOUND', `Instance ${i.instanceId} does not exist in the cloud account`, `hosting.instances[${n}].instanceId`, severity),
      ];
    }
    const changed = COMPARED.filter((key) => (i[key] ?? null) !== (found[key] ?? null));
    return changed.map((key) =>
      finding(
        'INSTANCE_FACTS_CHANGED',
        `Instance ${i.instanceId}: the case says ${key} ${i[key] ?? 'none'}, the cloud account ${found[key] ?? 'none'}`,
        `hosting.instances[${n}].${key}`,
        severity,
      ),
    );
  });
}
