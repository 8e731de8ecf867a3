// The HTTP client of the app: JSON in and out, the session cookie (sent by the
// browser), the CSRF token on every write, and RFC 9457 problem+json errors.
import { type ProblemFieldError, localizeFieldError } from './fieldErrors'

/** A field the server refused, its message in the reader's language. */
export interface FieldError { field: string; message: string }

/** The server's field errors, each worded in the app's language (fieldErrors.ts). */
export function localizeFields(errors: ProblemFieldError[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => ({ field: e.field, message: localizeFieldError(e) }))
}

export class ApiError extends Error {
  status: number
  title: string
  fields: FieldError[]
  constructor(status: number, title: string, detail: string, fields: FieldError[]) {
    super(detail || title || `HTTP ${status}`)
    this.status = status
    this.title = title
    this.fields = fields
  }
  /** The server's message for `field`, if it named that field. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message
  }
}

// Kept in memory only: after a reload GET /api/v1/auth/me gives it again (session.ts),
// so no script-readable storage holds it.
let csrfToken: string | null = null

export function setCsrfToken(token: string | null) {
  csrfToken = token
}

/** The CSRF header for a write the caller sends itself (e.g. a multipart upload). */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {}
}

export interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  let data: any = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.title ?? '', data?.detail ?? text, localizeFields(data?.errors))
  }
  return data as T
}

/**
 * A refusal as a form shows it: each named field's messages (joined when the server
 * named a field twice) and one line for the whole form — `fixFields` when fields were
 * named, else the error's own message, else `fallback`.
 */
export function formErrors(e: unknown, fixFields: string, fallback: string): { fields: Record<string, string>; summary: string } {
  const fields: Record<string, string> = {}
  if (e instanceof ApiError && e.fields.length) {
    for (const f of e.fields) fields[f.field] = fields[f.field] ? `${fields[f.field]}; ${f.message}` : f.message
    return { fields, summary: fixFields }
  }
  return { fields, summary: e instanceof Error ? e.message : fallback }
}

export const api = {
  get: <T>(path: string, headers?: Record<string, string>) => request<T>('GET', path, { headers }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
}

/** A query string from the non-empty values of `params`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

export interface Page<T> { items: T[]; next_cursor: string | null }

export interface User {
  id: number
  username: string
  display_name: string
  roles: string[]
  department_id: number | null
  language?: string
  email?: string
  wide_scope?: boolean
  active?: boolean
}

export interface Remedy { id?: number; type: string; description: string; amount?: number | null; currency?: string | null }

// A search hit's extract: plain text parts, `match` on the query's terms
// (rendered as <mark> by text interpolation, never as HTML).
export interface Snippet {
  field: 'subject' | 'description' | 'message'
  message_id?: number
  parts: { text: string; match: boolean }[]
}

export interface Complaint {
  id: number
  tracking_code: string
  state: string
  version: number
  kind: string
  validity: string
  validity_reason?: string | null
  category: string | null
  urgency: string | null
  difficulty: string | null
  department_id: number | null
  assignee_id: number | null
  escalation_level?: number
  channel: string
  received_at: string
  due_at?: string | null
  occurred_at?: string | null
  place?: string | null
  object?: { type?: string | null; ref?: string | null } | null
  subject: string | null
  description: string
  demands: string | null
  people_involved?: string | null
  language?: string | null
  tags?: string[]
  customer: { id?: number; name: string; email?: string | null; phone?: string | null; language?: string | null; reply_channel?: string | null }
  plan?: {
    round?: number
    feasibility?: string | null
    estimated_cost?: number | null
    remedies: Remedy[]
    supervisor_approved?: boolean | null
    director_approved?: boolean | null
    director_required?: boolean
    instructions?: string | null
    customer_accepted?: boolean | null
    customer_reason?: string | null
  } | null
  satisfaction?: { score: number; comment?: string | null } | null
  lessons?: string | null
  /** The earlier complaint intake flagged this one as a likely duplicate of (best score). */
  likely_duplicate_of?: { complaint_id: number; score: number } | null
  /** Triage's top category suggestion while the complaint has no category. */
  suggested_category?: { value: string; confidence: number } | null
  follow_up_of?: number | null
  held_from?: string | null
  allowed_actions: string[]
  snippet?: Snippet
}

export interface Transition {
  action: string
  from: string[]
  to: string
  alt_to: string | null
  roles: string[]
  requires: string[]
  summary: string
}

export interface Department { id: number; code: string; name: string; parent_id?: number | null; supervisor_id?: number | null; active?: boolean }
export interface Category { id?: number; code: string; name: string; parent_code?: string | null; active?: boolean }

/** Fetches every page of a list (for small lists: users, departments, the dashboard). */
export async function all<T>(path: string, max = 2000): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  const sep = path.includes('?') ? '&' : '?'
  do {
    const page: Page<T> = await api.get<Page<T>>(
      `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    items.push(...(page.items ?? []))
    cursor = page.next_cursor ?? null
  } while (cursor && items.length < max)
  return items
}

/** GET /api/v1/complaints/{id}/suggestions */
export interface TriageSuggestions {
  model_version: number | null
  prefill_threshold: number
  suggestions: Record<string, { value: string | number; confidence: number }[]>
  prefill: Record<string, string | number>
}

/** One item of GET /api/v1/complaints/{id}/duplicates */
export interface DuplicateLink {
  complaint_id: number
  relation: 'duplicate_of' | 'duplicated_by'
  score: number
  reasons: string[]
  tracking_code: string
  subject: string
  state: string
}
