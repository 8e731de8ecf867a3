// vue-i18n set-up: six catalogs, the choice remembered in localStorage (per user, and for
// the portal visitor; a signed-in user's language is also kept on the server, see
// session.ts, and wins at sign-in), dates and numbers formatted per locale.
import { createI18n } from 'vue-i18n'
import en from './locales/en'
import es from './locales/es'
import fr from './locales/fr'
import zhHans from './locales/zh-Hans'
import zhHant from './locales/zh-Hant'
import vi from './locales/vi'

export const LOCALES = ['en', 'es', 'fr', 'zh-Hans', 'zh-Hant', 'vi'] as const
export type Locale = (typeof LOCALES)[number]

/** Each language named in itself, for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  'zh-Hans': '简体中文',
  'zh-Hant': '繁體中文',
  vi: 'Tiếng Việt',
}

export const messages = { en, es, fr, 'zh-Hans': zhHans, 'zh-Hant': zhHant, vi }

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Maps a browser or server language tag to one of ours ("zh-TW" → zh-Hant, "es-MX" → es). */
export function matchLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null
  if (isLocale(tag)) return tag
  const lower = tag.toLowerCase()
  if (lower.startsWith('zh')) {
    return /hant|tw|hk|mo/.test(lower) ? 'zh-Hant' : 'zh-Hans'
  }
  const base = lower.split('-')[0]
  return isLocale(base) ? base : null
}

const STORAGE = 'redress.language'

/** The key the choice is stored under: per user when signed in, else for the portal. */
export function storageKey(username?: string | null): string {
  return username ? `${STORAGE}.user.${username}` : `${STORAGE}.portal`
}

export function storedLocale(username?: string | null): Locale | null {
  try {
    return matchLocale(localStorage.getItem(storageKey(username)))
  } catch {
    return null
  }
}

function initialLocale(): Locale {
  return storedLocale() ?? matchLocale(typeof navigator === 'undefined' ? null : navigator.language) ?? 'en'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

/** Switches the language and remembers it for `username` (or the portal visitor). */
export function setLocale(locale: Locale, username?: string | null) {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(storageKey(username), locale)
    if (username) localStorage.setItem(storageKey(null), locale)
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale
}

/** A date and time in the current locale ("—" for none). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d)
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(d)
}

/** An amount in the current locale, with its currency when known. */
export function formatMoney(amount: number | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined) return '—'
  try {
    if (currency) {
      return new Intl.NumberFormat(currentLocale(), { style: 'currency', currency }).format(amount)
    }
  } catch {
    /* unknown currency code: plain number below */
  }
  return new Intl.NumberFormat(currentLocale()).format(amount) + (currency ? ` ${currency}` : '')
}

/** A calendar day ("2026-11-23") in the current locale, read as that day wherever the browser is. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—'
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`)
  if (Number.isNaN(d.getTime())) return day
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d)
}

/** A number in the current locale; `percent` reads 0.5 as "50 %" (per the locale's own spacing). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(currentLocale(), options).format(value)
}
