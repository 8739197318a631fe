import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CONTENT_CATEGORIES, DOCUMENT_TYPES, PRODUCTS, type RuleConfig } from '../../domain/src';
import { checkCalendarOverrides, mainlandCalendar } from './calendar-source';

/**
 * The shape of config/rules.json (or ICP_RULES_FILE), checked at load so a mistyped file stops the
 * service at boot with every problem named, instead of answering wrongly later. The calendar block
 * (whole years overriding chinese-days) is checked by calendar-source.ts.
 */
const wholeNumber = z.number().int().min(0);
const hanCharacter = z.string().regex(/^\p{Script=Han}$/u, 'one Han character');

const province = z
  .object({
    code: z.string().regex(/^CN-[A-Z]{2}$/, 'an ISO 3166-2:CN code such as CN-ZJ'),
    name: z.string().min(1),
    // A single abbreviation (the shape before 2026-11-30) is read as a list of one.
    abbreviations: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(hanCharacter).min(1)),
    acceptsOfficeFilings: z.boolean(),
    domainMinValidityMonths: z.number().int().min(1).max(120),
    domainMinValidityDays: z
      .never({ error: 'domainMinValidityDays was replaced by domainMinValidityMonths (calendar months, DOMAIN.md)' })
      .optional(),
    miitReviewBusinessDays: z.number().int().min(1).max(365),
    extraDocuments: z.array(z.enum(DOCUMENT_TYPES)),
    personRules: z
      .object({
        principalMustBeLegalRepresentative: z.boolean().optional(),
        adminMustNotBePrincipal: z.boolean().optional(),
        adminMustBePrincipalUnlessLegalRepresentative: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const regionId = z.string().regex(/^[a-z]{2}(-[a-z0-9]+)*(-\*|\*)?$/, 'a region id such as cn-hangzhou (or a prefix such as ap-*)');

// Top level passes unknown keys through (the calendar work may add its own); provinces are strict.
export const ruleConfigSchema = z
  .looseObject({
    provinces: z.record(z.string(), province),
    mainlandRegions: z.array(regionId).min(1),
    localRegions: z.array(regionId),
    nonMainlandRegions: z.array(regionId),
    approvedTlds: z.array(z.string().min(1)).min(1),
    regulatedCategories: z.array(z.enum(CONTENT_CATEGORIES)),
    serviceCodeQuota: z.object(Object.fromEntries(PRODUCTS.map((p) => [p, wholeNumber])) as Record<(typeof PRODUCTS)[number], typeof wholeNumber>).strict(),
    minSubscriptionMonths: wholeNumber,
    instanceMinMonthsLeft: wholeNumber,
    instanceExpiryWarningDays: wholeNumber,
    adminIdMinValidityMonths: wholeNumber,
    principalIdMinValidityMonths: wholeNumber,
    domainMinValidityMonths: z.number().int().min(1).max(120),
    minimumAge: z.number().int().min(1).max(100),
    initialReviewBusinessDays: z.number().int().min(1),
    psbFilingDays: z.number().int().min(1),
    // Whole years overriding chinese-days (calendar-source.ts checks them: each date in its year).
    calendar: z.looseObject({ years: z.record(z.string(), z.unknown()).optional() }).optional(),
  })
  .superRefine((config, ctx) => {
    const owner = new Map<string, string>();
    for (const [key, p] of Object.entries(config.provinces)) {
      if (p.code !== key) ctx.addIssue({ code: 'custom', path: ['provinces', key, 'code'], message: `must match its key ${key}` });
      for (const a of p.abbreviations) {
        const other = owner.get(a);
        if (other) ctx.addIssue({ code: 'custom', path: ['provinces', key, 'abbreviations'], message: `${a} is also ${other}'s` });
        owner.set(a, key);
      }
    }
    const mainland = new Set([...config.mainlandRegions, ...config.localRegions]);
    for (const r of config.nonMainlandRegions) {
      if (mainland.has(r)) ctx.addIssue({ code: 'custom', path: ['nonMainlandRegions'], message: `${r} is listed as mainland too` });
    }
  });

/** Checks a parsed rules file; throws one error naming every problem (path: message). */
export function parseRuleConfig(raw: unknown, source = 'the rule configuration', now: Date = new Date()): RuleConfig {
  const result = ruleConfigSchema.safeParse(raw);
  const calendarProblems = checkCalendarOverrides((raw as { calendar?: unknown } | null)?.calendar);
  if (!result.success || calendarProblems.length > 0) {
    const problems = [...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)), ...calendarProblems];
    throw new Error(`Rule configuration ${source} is not valid:\n- ${problems.join('\n- ')}`);
  }
  const config = result.data as unknown as RuleConfig;
  config.approvedTlds = config.approvedTlds.map((t) => t.toLowerCase());
  // The mainland calendar (chinese-days + the configured years), from last year on: deadlines only
  // lie ahead, and the snapshot stays in every case's history.
  config.calendar = mainlandCalendar(result.data.calendar as Parameters<typeof mainlandCalendar>[0], now.getUTCFullYear() - 1);
  return config;
}

/** Reads the rule configuration (provinces, regions, TLDs, calendar) and checks its shape. */
export function loadRuleConfig(path: string, now: Date = new Date()): RuleConfig {
  const raw = JSON.parse(readFileSync(path, 'utf8'), (key, value) => (key === '_comment' ? undefined : value));
  return parseRuleConfig(raw, path, now);
}
