import { provinceAbbreviations, type RuleConfig } from './rule-config';
import type { FilingType } from './types';

/**
 * `浙ICP备12345678号` (entity) or `浙ICP备12345678号-1` (website; the suffix is 1 or more, no
 * leading zero); an ICP licence `京ICP证030173号`, sometimes written as its permit `京B2-20090123`.
 */
const ICP_NUMBER = /^(\p{Script=Han})ICP(备|证)(\d{6,12})号(?:-([1-9]\d{0,2}))?$/u;
const PERMIT_NUMBER = /^(\p{Script=Han})B2-(\d{8})$/u;

export type IcpNumberCheck =
  | { valid: true; abbreviation: string; entityNumber: string; websiteSuffix: number | null }
  | { valid: false; reason: string };

export function checkIcpNumber(
  icpNumber: string,
  province: string,
  config: RuleConfig,
  filingType: FilingType = 'ICP_FILING',
): IcpNumberCheck {
  const text = icpNumber.trim();
  const match = ICP_NUMBER.exec(text);
  const permit = match ? null : PERMIT_NUMBER.exec(text);
  if (!match && !permit) {
    const example = filingType === 'ICP_LICENCE' ? '浙ICP证123456号' : '浙ICP备12345678号-1';
    return { valid: false, reason: `'${icpNumber}' is not an ICP number such as ${example}` };
  }
  const abbreviation = (match ?? permit)![1];
  const licence = permit !== null || match![2] === '证';
  if (filingType === 'ICP_FILING' && licence) {
    return { valid: false, reason: `'${icpNumber}' is an ICP licence number; an ICP filing is approved with a 备 number such as 浙ICP备12345678号-1` };
  }
  if (filingType === 'ICP_LICENCE' && !licence) {
    return { valid: false, reason: `'${icpNumber}' is a filing number; an ICP licence is approved with a 证 number such as 浙ICP证123456号` };
  }
  const known = Object.values(config.provinces).find((p) => provinceAbbreviations(p).includes(abbreviation));
  if (!known) {
    return { valid: false, reason: `'${abbreviation}' is not a province abbreviation` };
  }
  const expected = provinceAbbreviations(config.provinces[province]);
  if (!expected.includes(abbreviation)) {
    return {
      valid: false,
      reason: `ICP number ${icpNumber} was issued in ${known.name} (${abbreviation}), but the case files in ${
        config.provinces[province]?.name ?? province
      } (${expected.join('/') || '?'})`,
    };
  }
  return {
    valid: true,
    abbreviation,
    entityNumber: permit ? `${abbreviation}B2-${permit[2]}` : `${abbreviation}ICP${match![2]}${match![3]}号`,
    websiteSuffix: match?.[4] === undefined ? null : Number(match[4]),
  };
}
