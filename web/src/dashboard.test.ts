import { describe, expect, it } from 'vitest'
import {
  dashboardPath,
  lastDay,
  ordered,
  period,
  ratePercent,
  ratingCount,
  reviewPath,
  stateBuckets,
  topCategories,
  trend,
  urgencyBuckets,
  type DashboardData,
} from './dashboard'

const none = { met: 0, breached: 0, running: 0, rate: null }
const data = (over: Partial<DashboardData>): DashboardData => ({
  from: '2026-11-01T00:00:00Z',
  to: '2026-11-04T00:00:00Z',
  total: 0,
  open: 0,
  by_state: [],
  by_urgency: [],
  by_department: [],
  by_category: [],
  by_channel: [],
  received_per_day: [],
  resolved_per_day: [],
  satisfaction: { scores: [], average: null },
  sla_compliance: { first_response: none, resolution: none },
  ...over,
})

describe('dashboard buckets from the API answer', () => {
  it('orders states by the lifecycle, urgencies by severity with "none" last, and drops zeros', () => {
    const d = data({
      by_state: [
        { key: 'closed', count: 4 },
        { key: 'new', count: 2 },
        { key: 'investigating', count: 0 },
        { key: 'assigned', count: 1 },
      ],
      by_urgency: [
        { key: null, count: 3 },
        { key: 'general', count: 2 },
        { key: 'urgent', count: 1 },
      ],
    })
    expect(stateBuckets(d)).toEqual([
      { key: 'new', count: 2 },
      { key: 'assigned', count: 1 },
      { key: 'closed', count: 4 },
    ])
    expect(urgencyBuckets(d)).toEqual([
      { key: 'urgent', count: 1 },
      { key: 'general', count: 2 },
      { key: '', count: 3 },
    ])
  })
  it('keeps the server label of a department and sorts unordered keys by count', () => {
    expect(ordered([{ key: '2', count: 1, label: 'Storage' }, { key: '3', count: 5, label: 'Sales' }])).toEqual([
      { key: '3', count: 5, label: 'Sales' },
      { key: '2', count: 1, label: 'Storage' },
    ])
  })
  it('takes the top categories only', () => {
    const by_category = Array.from({ length: 10 }, (_, i) => ({ key: `c${i}`, count: i + 1 }))
    expect(topCategories(data({ by_category }), 3).map((b) => b.key)).toEqual(['c9', 'c8', 'c7'])
  })
  it('fills every day of the period in the trend', () => {
    const d = data({
      received_per_day: [{ date: '2026-11-01', count: 2 }, { date: '2026-11-03', count: 1 }],
      resolved_per_day: [{ date: '2026-11-03', count: 4 }],
    })
    expect(trend(d)).toEqual([
      { date: '2026-11-01', received: 2, resolved: 0 },
      { date: '2026-11-02', received: 0, resolved: 0 },
      { date: '2026-11-03', received: 1, resolved: 4 },
    ])
  })
  it('reads compliance rates and ratings', () => {
    expect(ratePercent({ met: 2, breached: 1, running: 5, rate: 2 / 3 })).toBe(66.7)
    expect(ratePercent(none)).toBeNull()
    expect(ratingCount(data({ satisfaction: { scores: [{ key: '5', count: 2 }, { key: '3', count: 1 }], average: 13 / 3 } }))).toBe(3)
  })
})

describe('the period and its links', () => {
  it('is the last n days including today, half-open for the API', () => {
    const p = period(30, new Date('2026-11-23T17:05:00Z'))
    expect(p).toEqual({ from: '2026-10-25', to: '2026-11-24' })
    expect(lastDay(p)).toBe('2026-11-23')
  })
  it('asks the dashboard and the management review for the same period', () => {
    const p = { from: '2026-10-25', to: '2026-11-24' }
    expect(dashboardPath(p)).toBe('/api/v1/reports/dashboard?from=2026-10-25&to=2026-11-24')
    expect(reviewPath(p, 'zh-Hant', 'xlsx')).toBe('/api/v1/reports/management-review?from=2026-10-25&to=2026-11-24&lang=zh-Hant&format=xlsx')
  })
})
