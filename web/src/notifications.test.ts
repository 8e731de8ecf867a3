import { describe, expect, it } from 'vitest'
import { messages } from './i18n'
import { noticeClock, noticeMessage, type Notice } from './notifications'

function notice(kind: string, params: Record<string, unknown> = {}): Notice {
  return { id: 1, kind, complaint_id: 7, tracking_code: 'RD-7', params, created_at: '', read_at: null }
}

function lookup(key: string): unknown {
  return key.split('.').reduce<any>((t, k) => (t === undefined ? undefined : t[k]), messages.en)
}

describe('notice sentences', () => {
  it('pick a message per kind and keep the tracking code', () => {
    expect(noticeMessage(notice('assignment')).key).toBe('notifications.text.assignment')
    expect(noticeMessage(notice('department_assignment')).key).toBe('notifications.text.departmentAssignment')
    expect(noticeMessage(notice('approval_waiting', { awaiting: 'supervisor' })).key).toBe(
      'notifications.text.approvalSupervisor',
    )
    expect(noticeMessage(notice('approval_waiting', { awaiting: 'director' })).key).toBe(
      'notifications.text.approvalDirector',
    )
    expect(noticeMessage(notice('escalation', { reason: 'urgent', level: 1 })).key).toBe(
      'notifications.text.escalationUrgent',
    )
    const sla = noticeMessage(notice('escalation', { reason: 'sla_breach', level: 2 }))
    expect(sla).toEqual({ key: 'notifications.text.escalationSla', values: { code: 'RD-7', level: 2 } })
    expect(noticeMessage(notice('plan_returned', { instructions: 'Add a refund.' }))).toEqual({
      key: 'notifications.text.planReturned',
      values: { code: 'RD-7', instructions: 'Add a refund.' },
    })
    expect(noticeMessage(notice('something_new')).key).toBe('notifications.text.other')
  })

  it('name only keys the English catalog has', () => {
    const kinds = ['assignment', 'department_assignment', 'approval_waiting', 'plan_returned', 'escalation', 'sla_warning', 'x']
    for (const kind of kinds) {
      for (const params of [{}, { awaiting: 'director' }, { reason: 'urgent' }, { clock: 'state', state: 'assigned' }]) {
        const m = noticeMessage(notice(kind, params))
        expect(typeof lookup(m.key), m.key).toBe('string')
        const c = noticeClock(notice(kind, params))
        if (c.key) expect(typeof lookup(c.key), c.key).toBe('string')
      }
    }
  })

  it('read the SLA clock of a warning', () => {
    expect(noticeClock(notice('sla_warning', { clock: 'first_response' })).key).toBe('notifications.clock.first_response')
    expect(noticeClock(notice('sla_warning', { clock: 'state', state: 'assigned' }))).toEqual({
      key: 'notifications.clock.state',
      values: { state: 'assigned' },
    })
    expect(noticeClock(notice('assignment')).key).toBe('')
  })
})
