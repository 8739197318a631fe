import { compareLiveInstances, type LiveInstance } from './live-facts';
import { validFacts } from './testing/facts';

const [instance] = validFacts().hosting.instances;
const live = (changes: Partial<LiveInstance> = {}): LiveInstance => ({
  instanceId: instance.instanceId,
  regionId: instance.regionId,
  billing: instance.billing,
  expiresAt: instance.expiresAt,
  publicIp: instance.publicIp,
  ...changes,
});

describe('compareLiveInstances (INSTANCE_NOT_FOUND, INSTANCE_FACTS_CHANGED)', () => {
  it('finds nothing when the account agrees with the case', () => {
    expect(compareLiveInstances([instance], [live(), live({ instanceId: 'i-other' })], false)).toEqual([]);
  });

  it('an instance the account does not have is not found', () => {
    expect(compareLiveInstances([instance], [live({ instanceId: 'i-other' })], false)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_NOT_FOUND', severity: 'BLOCKING', path: 'hosting.instances[0].instanceId' }),
    ]);
  });

  it.each([
    ['regionId', { regionId: 'cn-shanghai' }],
    ['billing', { billing: 'PAY_AS_YOU_GO' as const }],
    ['expiresAt', { expiresAt: '2030-11-29' }],
    ['publicIp', { publicIp: null }],
  ])('a changed %s is BLOCKING before approval and a WARNING after', (key, changes) => {
    const path = `hosting.instances[0].${key}`;
    expect(compareLiveInstances([instance], [live(changes)], false)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', severity: 'BLOCKING', path }),
    ]);
    expect(compareLiveInstances([instance], [live(changes)], true)).toEqual([
      expect.objectContaining({ rule: 'INSTANCE_FACTS_CHANGED', severity: 'WARNING', path }),
    ]);
  });

  it('an expiry a day later (a renewal) is a change; the same day is not', () => {
    expect(compareLiveInstances([instance], [live({ expiresAt: '2030-12-01' })], false)).toHaveLength(1);
    expect(compareLiveInstances([instance], [live({ expiresAt: '2030-11-30' })], false)).toEqual([]);
  });
});
