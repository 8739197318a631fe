import type { CaseFacts, ContentCategory, Website } from '../types';

/**
 * Valid facts for specs and tests (never for production code, and not built): a representative
 * office in Zhejiang with its certificate, one website whose administrator is not the principal,
 * one subscription ECS instance in Hangzhou. Every date is far enough ahead that no rule trips on time.
 */
export function validFacts(mutate: (facts: CaseFacts) => void = () => undefined): CaseFacts {
  const facts: CaseFacts = {
    filingType: 'ICP_FILING',
    submissionProvince: 'CN-ZJ',
    applicant: {
      name: 'Contoso GmbH',
      countryOfRegistration: 'DE',
      mainlandPresence: 'REPRESENTATIVE_OFFICE',
      certificate: { number: '330100400012345', province: 'CN-ZJ', validUntil: '2031-06-30' },
      principal: {
        fullName: 'Anna Berg',
        idType: 'PASSPORT',
        idNumber: 'C01X00T47',
        idValidUntil: '2033-01-31',
        mobile: '+8613800000000',
        email: 'anna@contoso.example',
      },
    },
    websites: [website()],
    hosting: {
      instances: [
        {
          product: 'ECS',
          instanceId: 'i-bp1abc',
          regionId: 'cn-hangzhou',
          billing: 'SUBSCRIPTION',
          subscriptionMonths: 12,
          expiresAt: '2030-11-30',
          publicIp: '47.98.1.2',
          serviceCodesUsed: 1,
        },
      ],
      slb: null,
      cdn: null,
    },
  };
  mutate(facts);
  return facts;
}

/** A website; its administrator is the principal (same identity) or Li Wei, who is not. */
export function website(name = '康拓索产品目录', domain = 'contoso.cn', contentCategory: ContentCategory = 'GENERAL', isPrincipal = false): Website {
  return {
    name,
    domains: [domain],
    contentCategory,
    domainExpiresAt: '2030-03-01',
    administrator: {
      fullName: isPrincipal ? 'Anna Berg' : 'Li Wei',
      idType: isPrincipal ? 'PASSPORT' : 'RESIDENT_ID',
      idNumber: isPrincipal ? 'C01X00T47' : '330106199001011234',
      idValidUntil: '2035-05-01',
      mobile: '+8613900000000',
      email: 'li.wei@contoso.example',
      isPrincipal,
    },
  };
}
