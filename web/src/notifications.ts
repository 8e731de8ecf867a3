// In-app notifications: the unread count shown in the header (polled every
// 30 seconds while a staff user is signed in, and refreshed after each mark),
// and the words for each notice (the server sends a kind and its params; the
// text is made here, in the user's language).
import { reactive } from 'vue'
import { api, query } from './api'

export interface Notice {
  id: number
  kind: string
  complaint_id: number | null
  tracking_code: string | null
  params: Record<string, unknown>
  created_at: string
  read_at: string | null
}

export interface NoticePage {
  items: Notice[]
  next_cursor: string | null
  unread_count: number
}

/** How often the header asks for the unread count. */
export const POLL_MS = 30_000

export const notices = reactive<{ unread: number }>({ unread: 0 })

let timer: ReturnType<typeof setInterval> | null = null

/** Asks the server for the unread count; keeps the last one when it cannot answer. */
export async function refreshCount(): Promise<void> {
  try {
    const r = await api.get<{ unread_count: number }>('/api/v1/notifications/count')
    notices.unread = r.unread_count
  } catch {
    /* signed out or offline: the next poll tries again */
  }
}

/** Starts polling (once); stopPolling() ends it at sign-out. */
export function startPolling(): void {
  if (timer !== null) return
  void refreshCount()
  timer = setInterval(() => void refreshCount(), POLL_MS)
}

export function stopPolling(): void {
  if (timer !== null) clearInterval(timer)
  timer = null
  notices.unread = 0
}

export async function listNotices(unreadOnly: boolean, cursor?: string | null): Promise<NoticePage> {
  const page = await api.get<NoticePage>(
    `/api/v1/notifications${query({ unread: unreadOnly ? 'true' : undefined, limit: 50, cursor })}`,
  )
  notices.unread = page.unread_count
  return page
}

export async function markRead(id: number): Promise<Notice> {
  const r = await api.post<Notice & { unread_count: number }>(`/api/v1/notifications/${id}/read`)
  notices.unread = r.unread_count
  return r
}

export async function markAllRead(): Promise<void> {
  const r = await api.post<{ unread_count: number }>('/api/v1/notifications/read-all')
  notices.unread = r.unread_count
}

/** The catalog key and values for a notice's sentence (`notifications.text.*`). */
export function noticeMessage(n: Notice): { key: string; values: Record<string, string | number> } {
  const p = n.params ?? {}
  const code = n.tracking_code ?? String(p.tracking_code ?? '')
  const values: Record<string, string | number> = { code }
  switch (n.kind) {
    case 'assignment':
      return { key: 'notifications.text.assignment', values }
    case 'department_assignment':
      return { key: 'notifications.text.departmentAssignment', values }
    case 'approval_waiting':
      return {
        key: p.awaiting === 'director' ? 'notifications.text.approvalDirector' : 'notifications.text.approvalSupervisor',
        values,
      }
    case 'plan_returned':
      values.instructions = String(p.instructions ?? '')
      return { key: 'notifications.text.planReturned', values }
    case 'escalation':
      values.level = Number(p.level ?? 1)
      return {
        key: p.reason === 'urgent' ? 'notifications.text.escalationUrgent' : 'notifications.text.escalationSla',
        values,
      }
    case 'sla_warning':
      return { key: 'notifications.text.slaWarning', values }
    default:
      return { key: 'notifications.text.other', values }
  }
}

/** The SLA clock a notice is about, as catalog key and values ('' key when none). */
export function noticeClock(n: Notice): { key: string; values: Record<string, string> } {
  const p = n.params ?? {}
  if (p.clock === 'first_response') return { key: 'notifications.clock.first_response', values: {} }
  if (p.clock === 'resolution') return { key: 'notifications.clock.resolution', values: {} }
  if (p.clock === 'state' && typeof p.state === 'string') {
    return { key: 'notifications.clock.state', values: { state: p.state } }
  }
  return { key: '', values: {} }
}
