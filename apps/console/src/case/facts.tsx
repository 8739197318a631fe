import type { ReactNode } from 'react';
import type { I18n } from '../i18n';
import type { CaseView, Person } from '../types';

const Row = ({ label, children }: { label: string; children: ReactNode }) => (
  <>
    <dt>{label}</dt>
    <dd>{children ?? '—'}</dd>
  </>
);

/** A value the API masked for this caller (`C01X****47`). */
const looksMasked = (value: string | undefined) => Boolean(value && value.includes('****'));

function PersonRows({ i18n, person }: { i18n: I18n; person: Person }) {
  const { t } = i18n;
  return (
    <>
      <Row label={t('case.principal')}>{person.fullName}</Row>
      <Row label={t('case.idNumber')}>
        {person.idType} {person.idNumber}
      </Row>
      {person.mobile && <Row label={t('case.mobile')}>{person.mobile}</Row>}
      {person.email && <Row label={t('case.email')}>{person.email}</Row>}
    </>
  );
}

/** The case's facts, as the API gives them to this role (personal data masked where the role may not see it). */
export function Facts({ i18n, view }: { i18n: I18n; view: CaseView }) {
  const { t } = i18n;
  const a = view.applicant;
  const masked = looksMasked(a.principal?.idNumber) || view.websites.some((w) => looksMasked(w.administrator?.idNumber));
  return (
    <section aria-labelledby="facts-title" className="card">
      <h2 id="facts-title">{t('case.facts')}</h2>
      {masked && <p className="muted">{t('case.masked')}</p>}
      <dl className="facts">
        <Row label={t('case.applicantName')}>{a.name}</Row>
        <Row label={t('case.country')}>{a.countryOfRegistration}</Row>
        <Row label={t('case.presence')}>{a.mainlandPresence}</Row>
        <Row label={t('case.certificate')}>
          {a.certificate ? `${a.certificate.number} (${a.certificate.province}, ${i18n.date(a.certificate.validUntil)})` : t('case.noCertificate')}
        </Row>
        <Row label={t('case.filingType')}>{view.filingType}</Row>
        <Row label={t('case.province')}>{view.submissionProvince}</Row>
        {view.icpNumber && <Row label={t('case.icpNumber')}>{view.icpNumber}</Row>}
        {view.liveAt && <Row label={t('case.liveAt')}>{i18n.date(view.liveAt)}</Row>}
        {a.principal && <PersonRows i18n={i18n} person={a.principal} />}
      </dl>
      <h3>{t('case.websites')}</h3>
      {view.websites.map((w, i) => (
        <dl className="facts" key={i} aria-label={t('case.website', { n: i + 1 })}>
          <Row label={t('case.website', { n: i + 1 })}>{w.name}</Row>
          <Row label={t('case.domains')}>{w.domains.join(', ')}</Row>
          <Row label={t('case.category')}>{w.contentCategory}</Row>
          <Row label={t('case.administrator')}>
            {w.administrator.fullName} · {w.administrator.idType} {w.administrator.idNumber}
          </Row>
        </dl>
      ))}
      <h3>{t('case.hosting')}</h3>
      <ul className="plain">
        {view.hosting.instances.map((inst) => (
          <li key={inst.instanceId}>
            {t('case.instance')}: {inst.product} {inst.instanceId} · {inst.regionId} · {inst.billing}
            {inst.expiresAt ? ` · ${i18n.date(inst.expiresAt)}` : ''}
            {inst.publicIp ? ` · ${inst.publicIp}` : ''}
          </li>
        ))}
        {view.hosting.slb && <li>SLB {view.hosting.slb.publicIp}</li>}
        {view.hosting.cdn && (
          <li>
            CDN {view.hosting.cdn.cname} ({view.hosting.cdn.accelerationRegion})
          </li>
        )}
      </ul>
    </section>
  );
}
