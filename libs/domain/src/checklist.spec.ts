import { resolve } from 'node:path';
import { loadRuleConfig } from '../../config/src/app-config';
import { checklist } from './checklist';
import type { RuleConfig } from './rule-config';
import { validFacts, website } from './testing/facts';
import type { CaseFacts, ChecklistItem, ContentCategory, DocumentState, DocumentType, Website } from './types';

const CONFIG: RuleConfig = loadRuleConfig(resolve(__dirname, '../../../config/rules.json'));

function facts(websites: Website[], province = 'CN-ZJ'): CaseFacts {
  return validFacts((f) => {
    f.submissionProvince = province;
    f.applicant.certificate = { number: '330100400012345', province, validUntil: '2031-06-30' };
    f.websites = websites;
  });
}

const CATALOGUE = website('康拓索产品目录', 'contoso.cn');
const CATALOGUE_BY_PRINCIPAL = website('康拓索产品目录', 'contoso.cn', 'GENERAL', true);

type Slot = [DocumentType, number | null];
const slots = (items: ChecklistItem[]): Slot[] => items.map((i) => [i.type, i.websiteIndex]);

const ALWAYS_ONE_SITE: Slot[] = [
  ['ENTITY_CERTIFICATE', null],
  ['PRINCIPAL_ID', null],
  ['WEBSITE_ADMIN_ID', 0],
  ['AUTHENTICITY_VERIFICATION_FORM', null],
];

describe('checklist', () => {
  const table: [string, CaseFacts, Slot[]][] = [
    ['administrator is the principal: only the national basics', facts([CATALOGUE_BY_PRINCIPAL]), ALWAYS_ONE_SITE],
    ['administrator is not the principal: plus an authorisation letter', facts([CATALOGUE]), [...ALWAYS_ONE_SITE, ['AUTHORISATION_LETTER', 0]]],
    [
      'two websites: one admin ID each, letters and pre-approvals per website',
      facts([website('康拓索新闻中心', 'news.contoso.cn', 'NEWS', true), website('康拓索产品目录', 'contoso.cn', 'GENERAL', false)]),
      [
        ['ENTITY_CERTIFICATE', null],
        ['PRINCIPAL_ID', null],
        ['WEBSITE_ADMIN_ID', 0],
        ['WEBSITE_ADMIN_ID', 1],
        ['AUTHENTICITY_VERIFICATION_FORM', null],
        ['PRE_APPROVAL', 0],
        ['AUTHORISATION_LETTER', 1],
      ],
    ],
    [
      'CN-BJ wants a domain certificate per website',
      facts([CATALOGUE_BY_PRINCIPAL, website('康拓索技术支持', 'support.contoso.cn', 'GENERAL', true)], 'CN-BJ'),
      [
        ['ENTITY_CERTIFICATE', null],
        ['PRINCIPAL_ID', null],
        ['WEBSITE_ADMIN_ID', 0],
        ['WEBSITE_ADMIN_ID', 1],
        ['AUTHENTICITY_VERIFICATION_FORM', null],
        ['DOMAIN_CERTIFICATE', 0],
        ['DOMAIN_CERTIFICATE', 1],
      ],
    ],
    ['a province without extras (CN-SH) wants no domain certificate', facts([CATALOGUE_BY_PRINCIPAL], 'CN-SH'), ALWAYS_ONE_SITE],
    [
      'an unknown province adds nothing',
      facts([CATALOGUE_BY_PRINCIPAL], 'CN-XX'),
      ALWAYS_ONE_SITE,
    ],
  ];

  it.each(table)('%s', (_, f, expected) => {
    const items = checklist(f, CONFIG, []);
    expect(slots(items)).toEqual(expected);
    expect(items.every((i) => !i.satisfied)).toBe(true);
  });

  const categories: [ContentCategory, boolean][] = [
    ['GENERAL', false],
    ['NEWS', true],
    ['PUBLISHING', true],
    ['EDUCATION', true],
    ['MEDICAL', true],
    ['DRUGS', true],
    ['FINANCE', false],
    ['CULTURE', false],
  ];

  it.each(categories)('content category %s needs a pre-approval: %s', (category, needed) => {
    const items = checklist(facts([website('康拓索产品目录', 'contoso.cn', category, true)]), CONFIG, []);
    expect(items.some((i) => i.type === 'PRE_APPROVAL' && i.websiteIndex === 0)).toBe(needed);
  });

  it('reads the regulated categories from configuration', () => {
    const config: RuleConfig = { ...CONFIG, regulatedCategories: ['FINANCE'] };
    const finance = checklist(facts([website('康拓索金融服务', 'contoso.cn', 'FINANCE', true)]), config, []);
    const news = checklist(facts([website('康拓索新闻中心', 'contoso.cn', 'NEWS', true)]), config, []);
    expect(slots(finance)).toContainEqual(['PRE_APPROVAL', 0]);
    expect(slots(news)).not.toContainEqual(['PRE_APPROVAL', 0]);
  });

  it('a case-level province extra is added once, and never duplicates a national document', () => {
    const config: RuleConfig = {
      ...CONFIG,
      provinces: {
        ...CONFIG.provinces,
        'CN-ZJ': { ...CONFIG.provinces['CN-ZJ'], extraDocuments: ['AUTHENTICITY_VERIFICATION_FORM', 'DOMAIN_CERTIFICATE'] },
      },
    };
    expect(slots(checklist(facts([CATALOGUE_BY_PRINCIPAL]), config, []))).toEqual([...ALWAYS_ONE_SITE, ['DOMAIN_CERTIFICATE', 0]]);
  });

  describe('satisfied', () => {
    const f = facts([CATALOGUE]);
    const satisfiedBy = (documents: DocumentState[]) =>
      checklist(f, CONFIG, documents)
        .filter((i) => i.satisfied)
        .map((i): Slot => [i.type, i.websiteIndex]);

    const table: [string, DocumentState[], Slot[]][] = [
      ['nothing uploaded', [], []],
      ['an ACCEPTED case document', [{ type: 'PRINCIPAL_ID', websiteIndex: null, status: 'ACCEPTED' }], [['PRINCIPAL_ID', null]]],
      ['an ACCEPTED website document', [{ type: 'WEBSITE_ADMIN_ID', websiteIndex: 0, status: 'ACCEPTED' }], [['WEBSITE_ADMIN_ID', 0]]],
      ['a PENDING document', [{ type: 'PRINCIPAL_ID', websiteIndex: null, status: 'PENDING' }], []],
      ['a REJECTED document', [{ type: 'PRINCIPAL_ID', websiteIndex: null, status: 'REJECTED' }], []],
      ['a website document for another website', [{ type: 'WEBSITE_ADMIN_ID', websiteIndex: 1, status: 'ACCEPTED' }], []],
      ['a website document without website index', [{ type: 'WEBSITE_ADMIN_ID', websiteIndex: null, status: 'ACCEPTED' }], []],
      ['a case document tied to a website', [{ type: 'ENTITY_CERTIFICATE', websiteIndex: 0, status: 'ACCEPTED' }], []],
      [
        'a rejected then an accepted version of the same document',
        [
          { type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'REJECTED' },
          { type: 'AUTHORISATION_LETTER', websiteIndex: 0, status: 'ACCEPTED' },
        ],
        [['AUTHORISATION_LETTER', 0]],
      ],
      ['a document no slot asks for', [{ type: 'DOMAIN_CERTIFICATE', websiteIndex: 0, status: 'ACCEPTED' }], []],
    ];

    it.each(table)('%s', (_, documents, expected) => {
      expect(satisfiedBy(documents)).toEqual(expected);
    });
  });
});
