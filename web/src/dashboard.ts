// Counts for the dashboard, computed in the browser from the complaint list.
// The dashboard API (server-side aggregates, SLA compliance, trends, satisfaction) is
// issue 5; until it lands, the page lists open complaints (GET /api/v1/complaints, every
// page) and counts them here.
import type { Complaint } from './api'
import { OPEN_STATES, STATE_ORDER, URGENCIES } from './lifecycle'

export interface Bucket {
  key: string // the filter value for the queue ('' for "none")
  count: number
}

export interface OpenCounts {
  total: number
  byState: Bucket[]
  byUrgency: Bucket[]
  byDepartment: Bucket[]
}

function ordered(counts: Map<string, number>, order: readonly string[]): Bucket[] {
  const out: Bucket[] = []
  for (const key of order) if (counts.has(key)) out.push({ key, count: counts.get(key)! })
  for (const [key, count] of counts) if (!order.includes(key)) out.push({ key, count })
  return out
}

export function openCounts(complaints: Complaint[]): OpenCounts {
  const state = new Map<string, number>()
  const urgency = new Map<string, number>()
  const department = new Map<string, number>()
  let total = 0
  for (const c of complaints) {
    if (!OPEN_STATES.has(c.state)) continue
    total++
    state.set(c.state, (state.get(c.state) ?? 0) + 1)
    const u = c.urgency ?? ''
    urgency.set(u, (urgency.get(u) ?? 0) + 1)
    const d = c.department_id === null || c.department_id === undefined ? '' : String(c.department_id)
    department.set(d, (department.get(d) ?? 0) + 1)
  }
  const byDepartment = [...department.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
  return {
    total,
    byState: ordered(state, STATE_ORDER),
    byUrgency: ordered(urgency, [...URGENCIES, '']),
    byDepartment,
  }
}
