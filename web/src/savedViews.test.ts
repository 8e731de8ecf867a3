import { describe, expect, it } from 'vitest'
import { showsView, viewFilter, type SavedView } from './savedViews'

const view = (filter: Record<string, string>): SavedView => ({ id: 1, name: 'v', filter, created_at: '', updated_at: '' })

describe('saved view filters', () => {
  it('keep the non-empty queue fields only, trimmed', () => {
    expect(viewFilter({ q: '', state: 'new', urgency: '', department_id: '3', overdue: 'true', cursor: 'x' })).toEqual({
      state: 'new',
      department_id: '3',
      overdue: 'true',
    })
    expect(viewFilter({ q: '  seal ' })).toEqual({ q: 'seal' })
  })
  it('drop the order when searching (results are ranked by relevance)', () => {
    expect(viewFilter({ q: 'seal', sort: 'due', state: 'new' })).toEqual({ q: 'seal', state: 'new' })
    expect(viewFilter({ sort: 'due' })).toEqual({ sort: 'due' })
  })
  it('recognise the queue that shows a view, whatever the order of the parameters', () => {
    const v = view({ state: 'new', urgency: 'urgent' })
    expect(showsView({ urgency: 'urgent', state: 'new' }, v)).toBe(true)
    expect(showsView({ urgency: 'urgent', state: 'new', cursor: 'abc' }, v)).toBe(true) // a later page
    expect(showsView({ urgency: 'urgent' }, v)).toBe(false)
    expect(showsView({ urgency: 'urgent', state: 'new', overdue: 'true' }, v)).toBe(false)
    expect(showsView({}, view({}))).toBe(true)
  })
})
