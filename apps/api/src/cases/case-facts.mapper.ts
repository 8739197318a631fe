import { ValidationFailedError, type CaseFacts, type FactChanges, type Hosting, type HostingRequest } from '../../../../libs/domain/src';
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
    instances: (h.instances ?? []).map((i) => ({
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
    cdn: h.cdn ? { accelerationRegion: h.cdn.accelerationRegion, cname: h.cdn.cname, ...(h.cdn.domain ? { domain: h.cdn.domain } : {}) } : null,
  };
}

const invalid = (field: string, message: string) => new ValidationFailedError([{ field, message }]);

/**
 * A body that names its instances by id (`hosting.instanceIds`): what to read from the cloud account;
 * `null` when the facts are typed in (`hosting.instances`). Exactly one of the two.
 */
export function hostingRequest(h: HostingDto): HostingRequest | null {
  if (h.instanceIds === undefined) {
    if (h.filingInstanceIds !== undefined) {
      throw invalid('hosting.filingInstanceIds', 'filingInstanceIds goes with hosting.instanceIds; with typed-in instances mark usedForFiling');
    }
    if (h.cdnDomain !== undefined) throw invalid('hosting.cdnDomain', 'cdnDomain goes with hosting.instanceIds; with typed-in instances give hosting.cdn');
    return null;
  }
  if (h.instances !== undefined) {
    throw invalid('hosting.instanceIds', 'give hosting.instances (facts typed in) or hosting.instanceIds (facts read from the cloud account), not both');
  }
  if (h.cdn) throw invalid('hosting.cdn', 'with hosting.instanceIds the CDN is read from the cloud account: name hosting.cdnDomain instead');
  const stray = (h.filingInstanceIds ?? []).filter((id) => !h.instanceIds!.includes(id));
  if (stray.length > 0) throw invalid('hosting.filingInstanceIds', `filingInstanceIds must be among hosting.instanceIds: ${stray.join(', ')} is not`);
  return {
    instanceIds: [...h.instanceIds],
    filingInstanceIds: h.filingInstanceIds ? [...h.filingInstanceIds] : null,
    cdnDomain: h.cdnDomain ?? null,
    slb: h.slb ? { publicIp: h.slb.publicIp } : null,
  };
}

/** The case's facts; `hosting` read from the cloud account replaces the body's when given. */
export function caseFacts(body: CaseBodyDto, hosting?: Hosting): CaseFacts {
  return {
    filingType: body.filingType,
    submissionProvince: body.submissionProvince,
    applicant: applicantFacts(body.applicant),
    websites: websiteFacts(body.websites),
    hosting: hosting ?? hostingFacts(body.hosting),
  };
}

export function factChanges(body: AmendCaseDto): FactChanges {
  const changes: FactChanges = {};
  if (body.filingType !== undefined) changes.filingType = body.filingType;
  if (body.submissionProvince !== undefined) changes.submissionProvince = body.submissionProvince;
  if (body.applicant !== undefined) changes.applicant = applicantFacts(body.applicant);
  if (body.websites !== undefined) changes.websites = websiteFacts(body.websites);
  if (body.hosting !== undefined) {
    if (body.hosting.instanceIds !== undefined) {
      throw invalid('hosting.instanceIds', 'instance ids are read when a case is opened; to read the live facts into this case, POST /v1/cases/{id}/hosting/refresh');
    }
    if (body.hosting.cdnDomain !== undefined) throw invalid('hosting.cdnDomain', 'cdnDomain is read when a case is opened from hosting.instanceIds');
    if (body.hosting.filingInstanceIds !== undefined) {
      throw invalid('hosting.filingInstanceIds', 'filingInstanceIds goes with hosting.instanceIds when a case is opened; amend usedForFiling on hosting.instances');
    }
    changes.hosting = hostingFacts(body.hosting);
  }
  return changes;
}
