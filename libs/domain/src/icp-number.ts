import type { RuleConfig } from './rule-config';

/** `浙ICP备12345678号` (entity) or `浙ICP备12345678号-1` (website). */
const ICP_NUMBER = /^(\p{Script=Han})ICP备(\d{6,12})号(?:-(\d{1,3}))?$/u;

export type IcpNumberCheck =
  | { valid: true; abbreviation: string; entityNumber: string; websiteSuffix: number | null }
  | { valid: false; reason: string };

export function checkIcpNumber(icpNumber: string, province: string, config: RuleConfig): IcpNumberCheck {
  const match = ICP_NUMBER.exec(icpNumber.trim());
  if (!match) {
    return { valid: false, reason: `'${icpNumber}' is not an ICP number such as 浙ICP备12345678号-1` };
  }
  const abbreviation = match[1];
  const known = Object.values(config.provinces).find((p) => p.abbreviation === abbreviation);
  if (!known) {
    return { valid: false, reason: `'${abbreviation}' is not a province abbreviation` };
  }
  const expected = config.provinces[province]?.abbreviation;
  if (abbreviation !== expected) {
    return {
      valid: false,
      reason: `ICP number ${icpNumber} was issued in ${known.name} (${abbreviation}), but the case files in ${
        config.provinces[province]?.name ?? province
      } (${expected ?? '?'})`,
    };
  }
  return {
    valid: true,
    abbreviation,
    entityNumber: `${abbreviation}ICP备${match[2]}号`,
    websiteSuffix: match[3] === undefined ? null : Number(match[3]),
  };
}
