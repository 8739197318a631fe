import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, apiBlob, ApiError, newIdempotencyKey } from '../api';
import { ErrorMessage } from '../format';
import type { I18n } from '../i18n';
import { DOCUMENT_NAMES, type MessageKey } from '../messages';
import { DOCUMENT_TYPES, PER_WEBSITE_DOCUMENTS, type CaseView, type ChecklistItem, type DocumentType, type DocumentView, type Role } from '../types';

/** The checklist with each slot's current document: preview, download, accept or reject (with a reason), upload. */
export function Documents({
  i18n,
  view,
  role,
  version,
  onChanged,
}: {
  i18n: I18n;
  view: CaseView;
  role: Role;
  /** Reloaded whenever the case moves. */
  version: number;
  onChanged(message: string): void;
}) {
  const { t } = i18n;
  const [data, setData] = useState<{ items: DocumentView[]; checklist: ChecklistItem[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<{ name: string; url: string; type: string } | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const canReview = (role === 'officer' || role === 'supervisor') && view.allowedActions.includes('review-document');
  const canUpload = role !== 'admin' && view.allowedActions.includes('upload-document');

  const load = async () => {
    try {
      setData(await api(`/v1/cases/${view.id}/documents`));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [view.id, version]);

  useEffect(() => {
    if (preview) dialog.current?.showModal();
    return () => {
      if (preview) URL.revokeObjectURL(preview.url);
    };
  }, [preview]);

  const slotName = (type: DocumentType, websiteIndex: number | null) =>
    `${i18n.w(DOCUMENT_NAMES[type], type)}${websiteIndex !== null ? ` · ${view.websites[websiteIndex]?.name ?? `#${websiteIndex + 1}`}` : ''}`;

  const content = async (doc: DocumentView) => apiBlob(`/v1/cases/${view.id}/documents/${doc.id}/content`);

  const showPreview = async (doc: DocumentView) => {
    setError(null);
    try {
      const blob = await content(doc);
      setPreview({ name: doc.filename, url: URL.createObjectURL(blob), type: doc.contentType });
    } catch (e) {
      setError(e);
    }
  };

  const download = async (doc: DocumentView) => {
    setError(null);
    try {
      const url = URL.createObjectURL(await content(doc));
      const a = document.createElement('a');
      a.href = url;
      a.download = doc.filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };

  const review = async (doc: DocumentView, decision: 'ACCEPTED' | 'REJECTED') => {
    setError(null);
    try {
      await api(`/v1/cases/${view.id}/documents/${doc.id}/review`, {
        method: 'POST',
        body: decision === 'REJECTED' ? { decision, reason } : { decision },
        idempotencyKey: newIdempotencyKey(),
      });
      setRejecting(null);
      setReason('');
      await load();
      onChanged(t('docs.reviewed', { name: slotName(doc.type, doc.websiteIndex), status: t(`docs.status.${decision}` as MessageKey) }));
    } catch (e) {
      setError(e);
    }
  };

  const [uploadType, setUploadType] = useState<DocumentType>('ENTITY_CERTIFICATE');
  const [uploadWebsite, setUploadWebsite] = useState('0');
  const [uploadError, setUploadError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const upload = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    setUploadError(null);
    const form = new FormData();
    form.set('type', uploadType);
    if (PER_WEBSITE_DOCUMENTS.includes(uploadType)) form.set('websiteIndex', uploadWebsite);
    form.set('file', file, file.name);
    try {
      await api(`/v1/cases/${view.id}/documents`, { method: 'POST', form, idempotencyKey: newIdempotencyKey() });
      if (fileInput.current) fileInput.current.value = '';
      await load();
      onChanged(t('docs.uploadedOk', { name: file.name }));
    } catch (e) {
      setUploadError(e);
      if (e instanceof ApiError && e.status === 409) await load();
    }
  };

  /** A checklist row's own slot (its type and website) in the upload form, then the file input. */
  const chooseFileFor = (slot: ChecklistItem) => {
    setUploadError(null);
    setUploadType(slot.type);
    if (slot.websiteIndex !== null) setUploadWebsite(String(slot.websiteIndex));
    fileInput.current?.scrollIntoView({ block: 'center' });
    fileInput.current?.focus();
  };

  const current = (slot: ChecklistItem) => data?.items.find((d) => d.current && d.type === slot.type && d.websiteIndex === slot.websiteIndex);

  return (
    <section aria-labelledby="docs-title" className="card">
      <h2 id="docs-title">{t('case.documents')}</h2>
      <ErrorMessage i18n={i18n} error={error} />
      {data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('docs.checklist')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('docs.type')}</th>
                <th scope="col">{t('docs.file')}</th>
                <th scope="col">{t('docs.status')}</th>
                <th scope="col">{t('worklist.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.checklist.map((slot) => {
                const doc = current(slot);
                const name = slotName(slot.type, slot.websiteIndex);
                return (
                  <tr key={`${slot.type}-${slot.websiteIndex}`}>
                    <th scope="row">
                      {name}
                      <div className={slot.satisfied ? 'ok small' : 'missing small'}>{slot.satisfied ? `✓ ${t('docs.satisfied')}` : `✗ ${t('docs.missing')}`}</div>
                    </th>
                    <td>
                      {doc ? (
                        <>
                          {doc.filename}
                          <div className="muted small">
                            {doc.uploadedBy} · <time dateTime={doc.uploadedAt}>{i18n.dateTime(doc.uploadedAt)}</time>
                          </div>
                        </>
                      ) : (
                        <span className="muted">{t('docs.none')}</span>
                      )}
                    </td>
                    <td>
                      {doc && (
                        <>
                          <span className={`doc-status doc-${doc.status}`}>{t(`docs.status.${doc.status}` as MessageKey)}</span>
                          {doc.review && (
                            <div className="muted small">
                              {t('docs.reviewedBy', { by: doc.review.by })}
                              {doc.review.reason ? ` — ${doc.review.reason}` : ''}
                            </div>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      {(doc || canUpload) && (
                        <div className="row-actions">
                          {doc && (
                            <>
                              <button type="button" className="secondary small" aria-label={`${t('docs.preview')}: ${name}`} onClick={() => void showPreview(doc)}>
                                {t('docs.preview')}
                              </button>
                              <button type="button" className="secondary small" aria-label={`${t('docs.download')}: ${name}`} onClick={() => void download(doc)}>
                                {t('docs.download')}
                              </button>
                            </>
                          )}
                          {canUpload && (
                            <button type="button" className="secondary small" aria-label={t('docs.chooseFileFor', { name })} onClick={() => chooseFileFor(slot)}>
                              {t('docs.chooseFile')}
                            </button>
                          )}
                          {doc && canReview && doc.status === 'PENDING' && (
                            <>
                              <button type="button" className="small" aria-label={`${t('docs.accept')}: ${name}`} onClick={() => void review(doc, 'ACCEPTED')}>
                                {t('docs.accept')}
                              </button>
                              <button
                                type="button"
                                className="danger-outline small"
                                aria-label={`${t('docs.reject')}: ${name}`}
                                aria-expanded={rejecting === doc.id}
                                onClick={() => setRejecting(rejecting === doc.id ? null : doc.id)}
                              >
                                {t('docs.reject')}
                              </button>
                            </>
                          )}
                        </div>
                      )}
                      {doc && rejecting === doc.id && (
                        <form
                          className="inline-form"
                          onSubmit={(e) => {
                            e.preventDefault();
                            void review(doc, 'REJECTED');
                          }}
                        >
                          <label htmlFor={`reject-${doc.id}`}>{t('docs.rejectReason', { name })}</label>
                          <input id={`reject-${doc.id}`} value={reason} required onChange={(e) => setReason(e.target.value)} />
                          <button type="submit" className="danger small">
                            {t('docs.confirmReject')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {data && data.items.length > 0 && (
        <details>
          <summary>{t('docs.all')}</summary>
          <ul className="plain small">
            {data.items.map((d) => (
              <li key={d.id}>
                {slotName(d.type, d.websiteIndex)} v{d.version}: {d.filename} · {t(`docs.status.${d.status}` as MessageKey)} · {d.uploadedBy} ·{' '}
                {i18n.dateTime(d.uploadedAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {canUpload && (
        <form className="upload-form" onSubmit={(e) => void upload(e)} aria-labelledby="upload-title">
          <h3 id="upload-title">{t('docs.upload')}</h3>
          <div className="field">
            <label htmlFor="upload-type">{t('docs.type')}</label>
            <select id="upload-type" value={uploadType} onChange={(e) => setUploadType(e.target.value as DocumentType)}>
              {DOCUMENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {i18n.w(DOCUMENT_NAMES[type], type)}
                </option>
              ))}
            </select>
          </div>
          {PER_WEBSITE_DOCUMENTS.includes(uploadType) && (
            <div className="field">
              <label htmlFor="upload-website">{t('docs.website')}</label>
              <select id="upload-website" value={uploadWebsite} onChange={(e) => setUploadWebsite(e.target.value)}>
                {view.websites.map((w, i) => (
                  <option key={i} value={String(i)}>
                    {w.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="upload-file">{t('docs.uploadFile')}</label>
            <input id="upload-file" type="file" ref={fileInput} accept="application/pdf,image/jpeg,image/png" required />
          </div>
          <ErrorMessage i18n={i18n} error={uploadError} />
          <button type="submit">{t('docs.uploadSubmit')}</button>
        </form>
      )}
      <dialog ref={dialog} className="preview" aria-labelledby="preview-title" onClose={() => setPreview(null)}>
        {preview && (
          <>
            <h2 id="preview-title">{t('docs.previewOf', { name: preview.name })}</h2>
            {preview.type.startsWith('image/') ? (
              <img src={preview.url} alt={preview.name} />
            ) : (
              <iframe src={preview.url} title={t('docs.previewOf', { name: preview.name })} />
            )}
            <form method="dialog">
              <button type="submit">{t('action.cancel')}</button>
            </form>
          </>
        )}
      </dialog>
    </section>
  );
}
