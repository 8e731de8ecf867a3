// The dashboard's data: GET /api/v1/reports/dashboard (server-side counts from the
// maintained report tables, in the caller's scope) turned into chart buckets, the
// period the page shows, and the management-review download links for that period.
import { STATE_ORDER, URGENCIES } from './lifecycle'

/** One count of the dashboard answer; `key` null means "none" (not routed, not classified). */
export interface ApiCount {
  key: string | null
  count: number
  label?: string
}

/** One SLA clock kind's outcome: clocks met, breached and still running; rate = met / (met + breached). */
export interface Compliance {
  met: number
  breached: number
  running: number
  rate: number | null
}

/** The answer of GET /api/v1/reports/dashboard. */
export interface DashboardData {
  from: string | null
  to: string | null
  total: number
  open: number
  by_state: ApiCount[]
  by_urgency: ApiCount[]
  by_department: ApiCount[]
  by_category: ApiCount[]
  by_channel: ApiCount[]
  received_per_day: { date: string; count: number }[]
  resolved_per_day: { date: string; count: number }[]
  satisfaction: { scores: ApiCount[]; average: number | null }
  sla_compliance: { first_response: Compliance; resolution: Compliance }
}

export interface Bucket {
  key: string // the filter value for the queue ('' for "none")
  count: number
  label?: string // the server's name for the key (departments)
}

function bucket(c: ApiCount): Bucket {
  const b: Bucket = { key: c.key ?? '', count: c.count }
  if (c.label) b.label = c.label
  return b
}

/** Counts in the given order first (the lifecycle's, the urgencies'), then the rest by count. */
export function ordered(counts: ApiCount[], order: readonly string[] = []): Bucket[] {
  const all = counts.filter((c) => c.count > 0).map(bucket)
  const known = order.flatMap((k) => all.filter((b) => b.key === k))
  const rest = all.filter((b) => !order.includes(b.key)).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
  return [...known, ...rest]
}

export const stateBuckets = (d: DashboardData) => ordered(d.by_state, STATE_ORDER)
export const urgencyBuckets = (d: DashboardData) => ordered(d.by_urgency, [...URGENCIES, ''])
export const departmentBuckets = (d: DashboardData) => ordered(d.by_department)
/** The `n` most frequent categories (the "top categories" chart). */
export const topCategories = (d: DashboardData, n = 8) => ordered(d.by_category).slice(0, n)

/** Every day of [from, to] with its received and resolved counts (days without any are 0). */
export function trend(d: DashboardData): { date: string; received: number; resolved: number }[] {
  const days = new Map<string, { received: number; resolved: number }>()
  const at = (date: string) => days.get(date) ?? days.set(date, { received: 0, resolved: 0 }).get(date)!
  const first = d.from?.slice(0, 10)
  const last = d.to ? isoDay(addDays(new Date(d.to), -1)) : undefined
  if (first && last && first <= last) {
    for (let day = new Date(`${first}T00:00:00Z`); isoDay(day) <= last; day = addDays(day, 1)) at(isoDay(day))
  }
  for (const r of d.received_per_day) at(r.date).received += r.count
  for (const r of d.resolved_per_day) at(r.date).resolved += r.count
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, v]) => ({ date, ...v }))
}

/** A compliance rate as a whole percentage, or null while no clock has ended. */
export function ratePercent(c: Compliance | undefined): number | null {
  return c && c.rate !== null && c.rate !== undefined ? Math.round(c.rate * 1000) / 10 : null
}

/** How many ratings the answer counts. */
export const ratingCount = (d: DashboardData) => d.satisfaction.scores.reduce((n, s) => n + s.count, 0)

// ---- the period -------------------------------------------------------------------

/** The periods the page offers, in days ending today. */
export const PERIODS = [30, 90, 365] as const

function addDays(d: Date, n: number): Date {
  const out = new Date(d.getTime())
  out.setUTCDate(out.getUTCDate() + n)
  return out
}
function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/**
 * The last `days` days up to and including `today` (UTC), as the API's half-open range:
 * from the first day at midnight to the day after today at midnight.
 */
export function period(days: number, today: Date = new Date()): { from: string; to: string } {
  const end = addDays(new Date(`${isoDay(today)}T00:00:00Z`), 1)
  return { from: isoDay(addDays(end, -days)), to: isoDay(end) }
}

/** The last day a half-open period includes (the day before `to`). */
export const lastDay = (p: { to: string }) => isoDay(addDays(new Date(`${p.to}T00:00:00Z`), -1))

/** The dashboard request for a period. */
export const dashboardPath = (p: { from: string; to: string }) =>
  `/api/v1/reports/dashboard?${new URLSearchParams(p)}`

/** The management review of the period in `lang` as a download (directors, QA, admins). */
export function reviewPath(p: { from: string; to: string }, lang: string, format: 'pdf' | 'xlsx'): string {
  return `/api/v1/reports/management-review?${new URLSearchParams({ ...p, lang, format })}`
}

/** The roles the server lets read the management review (app::ManagementReview::require_reader). */
export const REVIEW_ROLES = ['director', 'qa', 'admin'] as const
