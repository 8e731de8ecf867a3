// Saved views: a user's named queue filters, kept on the server per user
// (GET/POST /api/v1/saved-views, DELETE /api/v1/saved-views/{id}). The filter is
// the queue's own query parameters, so a view opens as /queue?<filter>.
import { api } from './api'

/** The queue filters a view keeps (the server refuses any other key). */
export const VIEW_FILTERS = ['q', 'state', 'urgency', 'department_id', 'category', 'assignee_id', 'sort', 'overdue'] as const

export interface SavedView {
  id: number
  name: string
  filter: Record<string, string>
  created_at: string
  updated_at: string
}

/**
 * The filter to save from the queue's filter fields: the non-empty ones, trimmed;
 * without `sort` when there is a search (the server ranks search results itself).
 */
export function viewFilter(fields: Partial<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of VIEW_FILTERS) {
    const value = (fields[key] ?? '').trim()
    if (value) out[key] = value
  }
  if (out.q) delete out.sort
  return out
}

/** Whether the queue's current query shows exactly the view's filter. */
export function showsView(query: Record<string, unknown>, view: SavedView): boolean {
  const current: Record<string, string> = {}
  for (const key of VIEW_FILTERS) {
    const v = query[key]
    if (typeof v === 'string' && v) current[key] = v
  }
  const a = Object.keys(current).sort()
  const b = Object.keys(view.filter).sort()
  return a.length === b.length && a.every((k, i) => k === b[i] && current[k] === view.filter[k])
}

export const listViews = () => api.get<{ items: SavedView[] }>('/api/v1/saved-views').then((r) => r.items)
export const saveView = (name: string, filter: Record<string, string>) =>
  api.post<SavedView>('/api/v1/saved-views', { name, filter })
export const deleteView = (id: number) => api.delete<{ deleted: number }>(`/api/v1/saved-views/${id}`)
