// The signed-in staff user, shared by every view.
import { reactive } from 'vue'
import { api, ApiError, setCsrfToken, type User } from './api'
import { matchLocale, setLocale, storedLocale, type Locale } from './i18n'

export const session = reactive<{ user: User | null; checked: boolean }>({ user: null, checked: false })

// The language kept on the server for the user wins (it follows them to any
// browser); a choice stored in this browser is the fallback for an account
// whose language the server does not know.
function applyUserLocale(user: User) {
  const locale = matchLocale(user.language) ?? storedLocale(user.username)
  if (locale) setLocale(locale, user.username)
}

/**
 * Switches the language; for a signed-in user it is also stored on the server
 * (PATCH /api/v1/auth/me), so the next sign-in anywhere starts in it.
 */
export async function chooseLocale(locale: Locale): Promise<void> {
  setLocale(locale, session.user?.username)
  if (!session.user || session.user.language === locale) return
  try {
    const r = await api.patch<{ user: User }>('/api/v1/auth/me', { language: locale })
    session.user.language = r.user.language
  } catch (e) {
    console.warn('the language could not be stored on the server', e)
  }
}

/** Asks the server who is signed in (once per page load). */
export async function checkSession(): Promise<User | null> {
  if (session.checked) return session.user
  try {
    const me = await api.get<{ user: User; csrf_token?: string }>('/api/v1/auth/me')
    session.user = me.user
    // A cookie session's CSRF token comes back with it: nothing keeps it across reloads.
    if (me.csrf_token) setCsrfToken(me.csrf_token)
    if (session.user) applyUserLocale(session.user)
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) console.warn(e)
    session.user = null
  }
  session.checked = true
  return session.user
}

export async function signIn(username: string, password: string): Promise<User> {
  const r = await api.post<{ user: User; csrf_token: string }>('/api/v1/auth/login', { username, password })
  setCsrfToken(r.csrf_token)
  session.user = r.user
  session.checked = true
  applyUserLocale(r.user)
  return r.user
}

export async function signOut() {
  try {
    await api.post('/api/v1/auth/logout')
  } catch {
    /* already gone */
  }
  setCsrfToken(null)
  session.user = null
}

export function hasRole(...roles: string[]): boolean {
  return !!session.user && session.user.roles.some((r) => roles.includes(r))
}
