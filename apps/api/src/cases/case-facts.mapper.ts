import type { CaseFacts, FactChanges } from '../../../../libs/domain/src';
import type { AmendCaseDto, ApplicantDto, CaseBodyDto, HostingDto, WebsiteDto } from './dto/case-body.dto';

/** DTOs to plain domain facts: absent optionals become null, nothing else slips through. */
export function applicantFacts(a: ApplicantDto): CaseFacts['applicant'] {
  const { fullName, idType, idNumber, idValidUntil, mobile, email, birthDate, isLegalRepresentative } = a.principal;
  return {
    name: a.name,
    countryOfRegistration: a.countryOfRegistration,
    mainlandPresence: a.mainlandPresence,
    certificate: a.certificate
      ? { number: a.certificate.number, province: a.certificate.province, validUntil: a.certificate.validUntil }
      : null,
    principal: {
      fullName,
      idType,
      idNumber,
      idValidUntil,
      mobile,
      email,
      ...(birthDate ? { birthDate } : {}),
      ...(typeof isLegalRepresentative === 'boolean' ? { isLegalRepresentative } : {}),
    },
  };
}

export function websiteFacts(websites: WebsiteDto[]): CaseFacts['websites'] {
  return websites.map((w) => {
    const { fullName, idType, idNumber, idValidUntil, mobile, email, isPrincipal, birthDate } = w.administrator;
    return {
      name: w.name,
      domains: [...w.domains],
      contentCategory: w.contentCategory,
      domainExpiresAt: w.domainExpiresAt,
      administrator: { fullName, idType, idNumber, idValidUntil, mobile, email, isPrincipal, ...(birthDate ? { birthDate } : {}) },
    };
  });
}

export function hostingFacts(h: HostingDto): CaseFacts['hosting'] {
  return {
    instances: h.instances.map((i) => ({
      product: i.product,
      instanceId: i.instanceId,
      regionId: i.regionId,
      billing: i.billing,
      subscriptionMonths: i.subscriptionMonths,
      expiresAt: i.expiresAt ?? null,
      publicIp: i.publicIp ?? null,
      serviceCodesUsed: i.serviceCodesUsed,
      // Absent stays absent, so cases without the flag keep today's facts (and their stored shape).
      ...(typeof i.usedForFiling === 'boolean' ? { usedForFiling: i.usedForFiling } : {}),
    })),
    slb: h.slb ? { publicIp: h.slb.publicIp } : null,
    cdn: h.cdn ? { accelerationRegion: h.cdn.accelerationRegion, cname: h.cdn.cname } : null,
  };
}

export function caseFacts(body: CaseBodyDto): CaseFacts {
  return {
    filingType: body.filingType,
    submissionProvince: body.submissionProvince,
    applicant: applicantFacts(body.applicant),
    websites: websiteFacts(body.websites),
    hosting: hostingFacts(body.hosting),
  };
}

export function factChanges(body: AmendCaseDto): FactChanges {
  const changes: FactChanges = {};
  if (body.filingType !== undefined) changes.filingType = body.filingType;
  if (body.submissionProvince !== undefined) changes.submissionProvince = body.submissionProvince;
  if (body.applicant !== undefined) changes.applicant = applicantFacts(body.applicant);
  if (body.websites !== undefined) changes.websites = websiteFacts(body.websites);
  if (body.hosting !== undefined) changes.hosting = hostingFacts(body.hosting);
  return changes;
}
