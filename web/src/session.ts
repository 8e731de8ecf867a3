// The signed-in staff user, shared by every view.
import { reactive } from 'vue'
import { api, ApiError, setCsrfToken, type User } from './api'
import { matchLocale, setLocale, storedLocale } from './i18n'

export const session = reactive<{ user: User | null; checked: boolean }>({ user: null, checked: false })

function applyUserLocale(user: User) {
  const locale = storedLocale(user.username) ?? matchLocale(user.language)
  if (locale) setLocale(locale, user.username)
}

/** Asks the server who is signed in (once per page load). */
export async function checkSession(): Promise<User | null> {
  if (session.checked) return session.user
  try {
    session.user = await api.get<User>('/api/v1/auth/me').then((r: any) => r.user ?? r)
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
