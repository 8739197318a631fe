import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api';
import { isStaff } from '../auth';
import { DeadlineText, ErrorMessage, stageName } from '../format';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { ACTION_STAGES, STAGES, type CaseCounts, type CaseSummary, type Page, type Stage } from '../types';

const VIEWS = ['mine', 'unassigned', 'overdue', 'week', 'all'] as const;
type View = (typeof VIEWS)[number];
const PAGE_SIZE = 25;

/** The provinces of API.md's convention (ISO 3166-2:CN), offered as suggestions. */
const PROVINCES = [
  'CN-BJ', 'CN-TJ', 'CN-HE', 'CN-SX', 'CN-NM', 'CN-LN', 'CN-JL', 'CN-HL', 'CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH', 'CN-FJ', 'CN-JX', 'CN-SD',
  'CN-HA', 'CN-HB', 'CN-HN', 'CN-GD', 'CN-GX', 'CN-HI', 'CN-CQ', 'CN-SC', 'CN-GZ', 'CN-YN', 'CN-XZ', 'CN-SN', 'CN-GS', 'CN-QH', 'CN-NX', 'CN-XJ',
];

/** The end of this week (Monday 00:00 next week) in China, as an instant. */
export function endOfWeekInChina(now = Date.now()): string {
  const offset = 8 * 3600_000;
  const local = new Date(now + offset);
  const daysToMonday = ((8 - local.getUTCDay()) % 7) || 7;
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + daysToMonday) - offset).toISOString();
}

/**
 * Whether the API takes an assignment of this row's case. A summary has no allowedActions, so: the
 * domain's stages for `assign` (not WITHDRAWN), and not once the lifecycle is over, which for a
 * COMPLETED case is its PSB filing recorded: no psbFilingDue runs any more (the only deadline left
 * in COMPLETED). NOT_REQUIRED cases take one: they can be amended back into a filing.
 */
export function assignable(row: Pick<CaseSummary, 'stage' | 'nextDeadline'>): boolean {
  if (!ACTION_STAGES.assign.includes(row.stage)) return false;
  return row.stage !== 'COMPLETED' || row.nextDeadline?.name === 'psbFilingDue';
}

export function WorklistPage({ query }: { query: URLSearchParams }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { session } = useSession();
  const staff = isStaff(session.role);
  const view: View = staff ? ((VIEWS as readonly string[]).includes(query.get('view') ?? '') ? (query.get('view') as View) : 'mine') : 'all';
  const stage = (STAGES as readonly string[]).includes(query.get('stage') ?? '') ? (query.get('stage') as Stage) : '';
  const province = query.get('province') ?? '';
  const assignee = query.get('assignee') ?? '';
  const overdue = query.get('overdue') === 'true';
  const q = query.get('q') ?? '';
  const filterKey = query.toString();

  // The pages' cursors belong to the filters they were read with: other filters start at page one
  // in the same render (a reset in an effect would first send the old cursor with the new filters).
  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({ key: filterKey, cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const setCursors = (next: (string | null)[]) => setPaging({ key: filterKey, cursors: next });
  const [page, setPage] = useState<Page<CaseSummary> | null>(null);
  const [counts, setCounts] = useState<CaseCounts | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  // The filters the API gets (counts take the same, without the stage they are split by).
  const filters = useCallback(
    (withStage: boolean) => ({
      stage: withStage ? stage || undefined : undefined,
      province: province || undefined,
      assignee: view === 'mine' ? session.sub : assignee || undefined,
      unassigned: view === 'unassigned' ? 'true' : undefined,
      overdue: view === 'overdue' || overdue ? 'true' : undefined,
      dueBefore: view === 'week' ? endOfWeekInChina() : undefined,
      q: q || undefined,
    }),
    [stage, province, assignee, overdue, q, view, session.sub],
  );

  const cursor = cursors[cursors.length - 1];

  // Only the latest load's answers are shown: an earlier one (other filters, another page) that
  // arrives late is dropped.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const seq = ++latest.current;
    const current = () => seq === latest.current;
    setError(null);
    try {
      const answer = await api<Page<CaseSummary>>('/v1/cases/summaries', { query: { ...filters(true), limit: PAGE_SIZE, cursor } });
      if (current()) setPage(answer);
    } catch (e) {
      if (!current()) return;
      setError(e);
      setPage({ items: [], nextCursor: null });
    }
    try {
      const answer = await api<CaseCounts>('/v1/cases/counts', { query: filters(false) });
      if (current()) setCounts(answer);
    } catch (e) {
      if (!current()) return;
      setError(e);
      setCounts(null);
    }
  }, [filters, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  const setQuery = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    const search = next.toString();
    navigate(search ? `/?${search}` : '/');
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setQuery({
      stage: String(form.get('stage') ?? ''),
      province: String(form.get('province') ?? '').trim().toUpperCase(),
      assignee: String(form.get('assignee') ?? '').trim(),
      overdue: form.get('overdue') ? 'true' : null,
      q: String(form.get('q') ?? '').trim(),
    });
  };

  const assignToMe = async (row: CaseSummary) => {
    setBusy(row.id);
    setStatus(null);
    try {
      await api(`/v1/cases/${row.id}/assign`, { method: 'POST', body: { assignee: session.sub }, idempotencyKey: newIdempotencyKey() });
      setStatus(t('worklist.assigned', { reference: row.reference }));
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h1>{staff ? t('worklist.title') : t('worklist.myFilings')}</h1>
      {staff && (
        <nav aria-label={t('worklist.view')} className="views">
          <ul>
            {VIEWS.map((v) => (
              <li key={v}>
                <button type="button" className="tab" aria-pressed={view === v} onClick={() => setQuery({ view: v })}>
                  {t(`worklist.view.${v}` as MessageKey)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}

      {counts && (
        <section aria-labelledby="counts-title" className="counts">
          <h2 id="counts-title" className="visually-hidden">
            {t('worklist.counts')}
          </h2>
          <ul>
            <li>
              <button type="button" className="chip" aria-pressed={!stage} onClick={() => setQuery({ stage: null })}>
                {t('worklist.allStages')} <span className="count">{counts.total}</span>
              </button>
            </li>
            {STAGES.filter((s) => counts.byStage[s]).map((s) => (
              <li key={s}>
                <button type="button" className="chip" aria-pressed={stage === s} onClick={() => setQuery({ stage: s })}>
                  {stageName(i18n, s)} <span className="count">{counts.byStage[s]}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <form className="filters" onSubmit={applyFilters} key={filterKey} aria-label={t('worklist.filters')}>
        <div className="field grow">
          <label htmlFor="f-q">{t('worklist.search')}</label>
          <input id="f-q" name="q" type="search" defaultValue={q} />
        </div>
        <div className="field">
          <label htmlFor="f-stage">{t('worklist.stage')}</label>
          <select id="f-stage" name="stage" defaultValue={stage}>
            <option value="">{t('worklist.allStages')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {stageName(i18n, s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-province">{t('worklist.province')}</label>
          <input id="f-province" name="province" defaultValue={province} list="provinces" size={7} />
          <datalist id="provinces">
            {PROVINCES.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </div>
        {staff && view !== 'mine' && view !== 'unassigned' && (
          <div className="field">
            <label htmlFor="f-assignee">{t('worklist.assignee')}</label>
            <input id="f-assignee" name="assignee" defaultValue={assignee} size={14} />
          </div>
        )}
        {view !== 'overdue' && (
          <div className="field check">
            <input id="f-overdue" name="overdue" type="checkbox" defaultChecked={overdue} />
            <label htmlFor="f-overdue">{t('worklist.overdueOnly')}</label>
          </div>
        )}
        <div className="field buttons">
          <button type="submit">{t('worklist.apply')}</button>
          <button type="button" className="secondary" onClick={() => navigate(staff ? `/?view=${view}` : '/')}>
            {t('worklist.clear')}
          </button>
        </div>
      </form>

      <div aria-live="polite" className="status-line">
        {status}
      </div>
      <ErrorMessage i18n={i18n} error={error} />

      {!page ? (
        <p role="status">{t('worklist.loading')}</p>
      ) : page.items.length === 0 ? (
        <p className="empty">{t('worklist.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="worklist">
            <thead>
              <tr>
                <th scope="col">{t('worklist.reference')}</th>
                <th scope="col">{t('worklist.applicant')}</th>
                <th scope="col">{t('worklist.stage')}</th>
                <th scope="col">{t('worklist.nextDeadline')}</th>
                <th scope="col">{t('worklist.assignee')}</th>
                {staff && <th scope="col">{t('worklist.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr key={row.id} className={row.nextDeadline?.overdue ? 'is-overdue' : undefined}>
                  <th scope="row">
                    <Link to={`/cases/${row.id}`}>{row.reference}</Link>
                  </th>
                  <td>
                    {row.applicant.name}
                    <span className="muted"> ({row.applicant.countryOfRegistration})</span>
                    {row.domains.length > 0 && <div className="muted small">{row.domains.join(', ')}</div>}
                  </td>
                  <td>
                    <span className={`stage stage-${row.stage}`}>{stageName(i18n, row.stage)}</span>
                  </td>
                  <td>
                    <DeadlineText i18n={i18n} deadline={row.nextDeadline} />
                  </td>
                  <td>{row.assignee ?? <span className="muted">{t('worklist.unassigned')}</span>}</td>
                  {staff && (
                    <td>
                      {row.assignee !== session.sub && assignable(row) && (
                        <button
                          type="button"
                          className="secondary small"
                          disabled={busy === row.id}
                          aria-label={t('worklist.assignToMeLabel', { reference: row.reference })}
                          onClick={() => void assignToMe(row)}
                        >
                          {t('worklist.assignToMe')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <nav className="pager" aria-label={t('worklist.page', { n: cursors.length })}>
        <button type="button" className="secondary" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('worklist.previous')}
        </button>
        <span>{t('worklist.page', { n: cursors.length })}</span>
        <button type="button" className="secondary" disabled={!page?.nextCursor} onClick={() => setCursors([...cursors, page!.nextCursor])}>
          {t('worklist.next')}
        </button>
      </nav>
    </>
  );
}
