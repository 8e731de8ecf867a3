// Builds each lifecycle action's form from the server's transition table
// (GET /api/v1/lifecycle): `requires` names the fields the action needs, so a new
// action or a new requirement needs no new UI code — a field this file does not know
// becomes a plain text input labelled by its name.
import type { Transition } from './api'

export type FieldKind =
  | 'category' // select from the categories
  | 'department' // select from the departments
  | 'departments' // several departments (checkboxes)
  | 'user' // select from the users
  | 'urgency'
  | 'difficulty'
  | 'channel'
  | 'boolean' // yes / no
  | 'remedies' // list of remedies
  | 'textarea'
  | 'text'
  | 'number'
  | 'condition' // nothing to enter: a condition the server checks (e.g. tasks done)

export interface FieldSpec {
  name: string // the request field
  kind: FieldKind
  required: boolean
}

/** How each known request field is entered. */
const KNOWN: Record<string, FieldKind> = {
  category: 'category',
  urgency: 'urgency',
  difficulty: 'difficulty',
  department_id: 'department',
  assignee_id: 'user',
  reason: 'textarea',
  reply_text: 'textarea',
  department_ids: 'departments',
  note: 'textarea',
  remedies: 'remedies',
  feasibility: 'textarea',
  estimated_cost: 'number',
  instructions: 'textarea',
  accepted: 'boolean',
  findings: 'textarea',
  channel: 'channel',
  text: 'textarea',
  lessons: 'textarea',
  tasks: 'condition',
  duplicate_of: 'number',
}

/**
 * Fields the server accepts but does not require, per action: shown after the
 * required ones. `requires` entries the server reports only in some cases (such as
 * `department_id` when a routing rule proposes one, `lessons` for minor complaints)
 * are listed in SOMETIMES and entered as optional.
 */
const OPTIONAL: Record<string, string[]> = {
  accept: ['assignee_id'],
  propose_plan: ['estimated_cost'],
  record_customer_answer: ['reason'],
  verify_pass: ['note'],
  withdraw: ['reason'],
  reopen: ['reason'],
  appeal: ['reason'],
  close: [],
  merge: ['note'],
}
const SOMETIMES = new Set(['department_id', 'lessons'])

export function fieldKind(name: string): FieldKind {
  return KNOWN[name] ?? 'text'
}

/** The form of `action` from the transition table; null when the table lacks it. */
export function formFor(action: string, table: Transition[]): FieldSpec[] | null {
  const rows = table.filter((t) => t.action === action)
  if (rows.length === 0) return null
  const seen = new Set<string>()
  const fields: FieldSpec[] = []
  for (const row of rows) {
    for (const name of row.requires) {
      if (seen.has(name)) continue
      seen.add(name)
      fields.push({ name, kind: fieldKind(name), required: !SOMETIMES.has(name) })
    }
  }
  for (const name of OPTIONAL[action] ?? []) {
    if (seen.has(name)) continue
    seen.add(name)
    fields.push({ name, kind: fieldKind(name), required: false })
  }
  return fields
}

export interface RemedyInput {
  type: string
  description: string
  amount: string
  currency: string
}

export type FormValues = Record<string, unknown>

/** Initial values for a form. */
export function emptyValues(fields: FieldSpec[]): FormValues {
  const values: FormValues = {}
  for (const f of fields) {
    if (f.kind === 'departments') values[f.name] = []
    else if (f.kind === 'remedies') values[f.name] = [{ type: 'refund', description: '', amount: '', currency: '' }]
    else if (f.kind === 'boolean') values[f.name] = null
    else if (f.kind !== 'condition') values[f.name] = ''
  }
  return values
}

/**
 * The request body of a transition: the action plus every filled field, converted
 * to the type the server expects. Empty optional fields are left out so that the
 * server's own defaults (e.g. a routing rule's department) apply, and empty required
 * fields are left out too so that the server names them in its 422.
 */
export function transitionBody(action: string, fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { action }
  for (const f of fields) {
    const v = values[f.name]
    switch (f.kind) {
      case 'condition':
        break
      case 'department':
      case 'user':
      case 'number': {
        if (v === '' || v === null || v === undefined) break
        const n = Number(v)
        if (!Number.isNaN(n)) body[f.name] = n
        break
      }
      case 'departments': {
        const list = (v as unknown[] | undefined) ?? []
        if (list.length) body[f.name] = list.map(Number)
        break
      }
      case 'boolean':
        if (v === true || v === false) body[f.name] = v
        break
      case 'remedies': {
        const list = ((v as RemedyInput[] | undefined) ?? []).filter((r) => r.type)
        if (list.length === 0) break
        body[f.name] = list.map((r) => {
          const out: Record<string, unknown> = { type: r.type, description: r.description.trim() }
          if (r.amount !== '' && !Number.isNaN(Number(r.amount))) out.amount = Number(r.amount)
          if (r.currency.trim()) out.currency = r.currency.trim().toUpperCase()
          return out
        })
        break
      }
      default: {
        const s = typeof v === 'string' ? v.trim() : v
        if (s !== '' && s !== null && s !== undefined) body[f.name] = s
      }
    }
  }
  return body
}

/** The order of the board's columns and the queue's state filter. */
export const STATE_ORDER = [
  'new',
  'assessing',
  'assigned',
  'investigating',
  'plan_review',
  'awaiting_customer',
  'implementing',
  'verifying',
  'responding',
  'on_hold',
  'resolved',
  'closed',
  'rejected',
  'forwarded',
  'withdrawn',
  'verification_failed',
  'duplicate',
] as const

/** States a complaint can still move on from (not finished). */
export const OPEN_STATES = new Set([
  'new',
  'assessing',
  'assigned',
  'investigating',
  'plan_review',
  'awaiting_customer',
  'implementing',
  'verifying',
  'responding',
  'on_hold',
])

export const URGENCIES = ['urgent', 'important', 'general'] as const
export const DIFFICULTIES = ['simple', 'complex', 'difficult'] as const
export const CHANNELS = ['phone', 'letter', 'in_person', 'email', 'chat', 'feedback_form', 'api', 'portal'] as const
export const REMEDIES = [
  'refund',
  'return',
  'exchange',
  'repair',
  'replacement',
  'compensation',
  'apology',
  'service_improvement',
  'other',
] as const
export const FAMILIES = ['people', 'method', 'machine', 'material', 'measurement', 'environment'] as const
