import { randomUUID } from 'node:crypto';

/** An applicant name no other test uses: "one open order per entity" must not couple tests. */
export const uniqueName = (base = 'Contoso GmbH') => `${base} ${randomUUID().slice(0, 8)}`;

/** Case bodies as API.md shows them; every date is far enough ahead that no rule trips on time. */
export function caseBody(overrides: Record<string, unknown> = {}, name = uniqueName()) {
  return {
    filingType: 'ICP_FILING',
    submissionProvince: 'CN-ZJ',
    applicant: {
      name,
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
    websites: [
      {
        name: '康拓索产品目录',
        domains: ['contoso.cn'],
        contentCategory: 'GENERAL',
        domainExpiresAt: '2030-03-01',
        administrator: {
          fullName: 'Li Wei',
          idType: 'RESIDENT_ID',
          idNumber: '330106199001011234',
          idValidUntil: '2035-05-01',
          mobile: '+8613900000000',
          email: 'li.wei@contoso.example',
          isPrincipal: false,
        },
      },
    ],
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
      slb: { publicIp: '47.98.10.20' },
      cdn: null,
    },
    ...overrides,
  };
}

/** The same enterprise without any mainland presence: it must first obtain the AIC certificate. */
export function caseBodyWithoutBranch(name = uniqueName('Fabrikam AG')) {
  const body = caseBody();
  return {
    ...body,
    applicant: { ...body.applicant, name, mainlandPresence: 'NONE', certificate: null },
  };
}

export function hongKongBody() {
  const body = caseBody();
  return {
    ...body,
    hosting: { instances: [{ ...body.hosting.instances[0], regionId: 'cn-hongkong' }], slb: null, cdn: null },
  };
}
