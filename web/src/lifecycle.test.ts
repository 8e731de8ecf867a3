import { describe, expect, it } from 'vitest'
import type { Transition } from './api'
import { emptyValues, fieldKind, formFor, transitionBody, type FormValues } from './lifecycle'
import fixture from './lifecycle.fixture.json'
import en from './i18n/locales/en'

// A snapshot of GET /api/v1/lifecycle (refresh with `redress serve` + curl when it changes).
const table = fixture.transitions as Transition[]

describe('forms built from the lifecycle table', () => {
  it('gives every action of the table a form, and a label to every action and field', () => {
    for (const row of table) {
      const form = formFor(row.action, table)
      expect(form, row.action).not.toBeNull()
      expect(en.actions, row.action).toHaveProperty(row.action)
      for (const f of form!) expect(en.fields, `${row.action}.${f.name}`).toHaveProperty(f.name)
    }
  })

  it('asks nothing for take and start_investigation', () => {
    expect(formFor('take', table)).toEqual([])
    expect(formFor('start_investigation', table)).toEqual([])
  })

  it('maps accept to the classification and routing fields', () => {
    expect(formFor('accept', table)).toEqual([
      { name: 'category', kind: 'category', required: true },
      { name: 'urgency', kind: 'urgency', required: true },
      { name: 'difficulty', kind: 'difficulty', required: true },
      // a routing rule may propose it, so the form does not insist
      { name: 'department_id', kind: 'department', required: false },
      { name: 'assignee_id', kind: 'user', required: false },
    ])
  })

  it('maps propose_plan to remedies, feasibility and an optional cost', () => {
    const form = formFor('propose_plan', table)!
    expect(form.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['remedies', 'remedies', true],
      ['feasibility', 'textarea', true],
      ['estimated_cost', 'number', false],
    ])
  })

  it('shows a condition, not an input, for submit_for_verification', () => {
    expect(formFor('submit_for_verification', table)).toEqual([{ name: 'tasks', kind: 'condition', required: true }])
  })

  it('merges the rows of an action listed twice (reopen from resolved and from closed)', () => {
    expect(table.filter((t) => t.action === 'reopen').length).toBe(2)
    expect(formFor('reopen', table)).toEqual([{ name: 'reason', kind: 'textarea', required: false }])
  })

  it('turns an unknown requirement of a new action into a text field: no UI code needed', () => {
    const extended: Transition[] = [
      ...table,
      { action: 'escalate', from: ['investigating'], to: 'investigating', alt_to: null, roles: ['agent'], requires: ['level_reason', 'urgency'], summary: '' },
    ]
    expect(formFor('escalate', extended)).toEqual([
      { name: 'level_reason', kind: 'text', required: true },
      { name: 'urgency', kind: 'urgency', required: true },
    ])
    expect(fieldKind('something_new')).toBe('text')
    expect(formFor('no_such_action', table)).toBeNull()
  })
})

describe('transition bodies', () => {
  it('converts ids to numbers and leaves out empty optional fields', () => {
    const form = formFor('accept', table)!
    const values: FormValues = { ...emptyValues(form), category: 'delivery_delay', urgency: 'general', difficulty: 'simple' }
    expect(transitionBody('accept', form, values)).toEqual({
      action: 'accept',
      category: 'delivery_delay',
      urgency: 'general',
      difficulty: 'simple',
    })
    values.department_id = '3'
    values.assignee_id = '7'
    expect(transitionBody('accept', form, values)).toMatchObject({ department_id: 3, assignee_id: 7 })
  })

  it('builds remedies with amounts and upper-case currencies', () => {
    const form = formFor('propose_plan', table)!
    const values = emptyValues(form)
    values.remedies = [
      { type: 'refund', description: ' Refund the fee ', amount: '12.50', currency: 'eur' },
      { type: 'apology', description: 'Letter', amount: '', currency: '' },
    ]
    values.feasibility = 'Today.'
    expect(transitionBody('propose_plan', form, values)).toEqual({
      action: 'propose_plan',
      remedies: [
        { type: 'refund', description: 'Refund the fee', amount: 12.5, currency: 'EUR' },
        { type: 'apology', description: 'Letter' },
      ],
      feasibility: 'Today.',
    })
  })

  it('sends booleans only once chosen, and department lists as numbers', () => {
    const answer = formFor('record_customer_answer', table)!
    expect(transitionBody('record_customer_answer', answer, emptyValues(answer))).toEqual({ action: 'record_customer_answer' })
    expect(transitionBody('record_customer_answer', answer, { accepted: false, reason: 'Too little' })).toEqual({
      action: 'record_customer_answer',
      accepted: false,
      reason: 'Too little',
    })
    const forward = formFor('forward', table)!
    expect(transitionBody('forward', forward, { department_ids: ['2', '4'], note: 'Input' })).toEqual({
      action: 'forward',
      department_ids: [2, 4],
      note: 'Input',
    })
  })

  it('asks merge for the original as a number, with an optional note', () => {
    const form = formFor('merge', table)!
    expect(form).toEqual([
      { name: 'duplicate_of', kind: 'number', required: true },
      { name: 'note', kind: 'textarea', required: false },
    ])
    expect(transitionBody('merge', form, { duplicate_of: '21', note: '' })).toEqual({ action: 'merge', duplicate_of: 21 })
  })
})
