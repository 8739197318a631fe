import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { MESSAGES, type Lang, type MessageKey } from './messages';

const STORAGE_KEY = 'icp-console.lang';
/** Every date and time is shown in China's time, whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Shanghai';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** Picks this language's entry of a `{en, zh-CN}` pair. */
  w(words: Record<Lang, string> | undefined, fallback?: string): string;
  /** An instant as a date and time in Asia/Shanghai. */
  dateTime(iso: string): string;
  /** A date (YYYY-MM-DD, a calendar day in China) or an instant's day in Asia/Shanghai. */
  date(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dateTimeFormat = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' });
    const dateFormat = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, dateStyle: 'medium' });
    return {
      lang,
      setLang,
      t: (key, values) => interpolate(MESSAGES[lang][key] ?? key, values),
      w: (words, fallback = '') => words?.[lang] ?? fallback,
      dateTime: (iso) => (Number.isNaN(Date.parse(iso)) ? iso : dateTimeFormat.format(new Date(iso))),
      // A bare date is a day in China: noon there keeps it that day in every formatting.
      date: (iso) => {
        const instant = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00+08:00` : iso;
        return Number.isNaN(Date.parse(instant)) ? iso : dateFormat.format(new Date(instant));
      },
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function interpolate(text: string, values?: Record<string, string | number>): string {
  return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : text;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
