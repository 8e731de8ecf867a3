import { describe, expect, it } from 'vitest'
import type { Complaint } from './api'
import { openCounts } from './dashboard'

const c = (state: string, urgency: string | null, department_id: number | null) =>
  ({ state, urgency, department_id }) as Complaint

describe('open complaint counts', () => {
  it('counts only open states, in lifecycle order, with "none" buckets', () => {
    const counts = openCounts([
      c('investigating', 'urgent', 3),
      c('new', null, null),
      c('new', null, null),
      c('closed', 'general', 3),
      c('rejected', null, null),
      c('on_hold', 'general', 2),
      c('investigating', 'general', 3),
    ])
    expect(counts.total).toBe(5)
    expect(counts.byState).toEqual([
      { key: 'new', count: 2 },
      { key: 'investigating', count: 2 },
      { key: 'on_hold', count: 1 },
    ])
    expect(counts.byUrgency).toEqual([
      { key: 'urgent', count: 1 },
      { key: 'general', count: 2 },
      { key: '', count: 2 },
    ])
    expect(counts.byDepartment).toEqual([
      { key: '', count: 2 },
      { key: '3', count: 2 },
      { key: '2', count: 1 },
    ])
  })
  it('is empty for no complaint', () => {
    expect(openCounts([])).toEqual({ total: 0, byState: [], byUrgency: [], byDepartment: [] })
  })
})
