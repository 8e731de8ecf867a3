// The server's field errors in the reader's language. Each problem+json field error
// carries an English `message` and, for the common rules, a stable `rule` with the
// `params` its wording needs (docs/api-contract.md, "Field errors"). English readers
// see the server's message as it is: it is often more specific ("is required: urgent,
// important or general"). Readers of the other languages see the catalog's wording of
// the rule (`errors.rules.*`), and the server's message when the rule is unknown to
// this build of the app or the error has none.
import { i18n, type Locale } from './i18n'

export interface ProblemFieldError {
  field: string
  message: string
  rule?: string
  params?: Record<string, string>
}

// Params that are themselves words: the catalog says them too.
const WORD_PARAMS: Record<string, string> = { type: 'errors.types', kind: 'errors.kinds' }

/** The text to show for one field error in `locale` (default: the app's current one). */
export function localizeFieldError(e: ProblemFieldError, locale: Locale = i18n.global.locale.value): string {
  if (locale === 'en' || !e.rule) return e.message
  const { t, te } = i18n.global
  const key = `errors.rules.${e.rule}`
  if (!te(key, locale)) return e.message
  const params: Record<string, string> = { ...(e.params ?? {}) }
  for (const [name, prefix] of Object.entries(WORD_PARAMS)) {
    const word = params[name]
    if (word !== undefined && te(`${prefix}.${word}`, locale)) params[name] = t(`${prefix}.${word}`, {}, { locale })
  }
  return t(key, params, { locale })
}
