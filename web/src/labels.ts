// Translated labels for the server's codes; an unknown code is shown as it is, so a new
// state or action on the server still renders.
import { i18n } from './i18n'

function label(group: string, code: string | null | undefined): string {
  if (!code) return '—'
  const key = `${group}.${code}`
  return i18n.global.te(key) ? i18n.global.t(key) : code
}

export const stateLabel = (c?: string | null) => label('states', c)
export const urgencyLabel = (c?: string | null) => label('urgency', c)
export const difficultyLabel = (c?: string | null) => label('difficulty', c)
export const channelLabel = (c?: string | null) => label('channel', c)
export const actionLabel = (c?: string | null) => label('actions', c)
export const fieldLabel = (c?: string | null) => label('fields', c)
export const remedyLabel = (c?: string | null) => label('remedy', c)
export const familyLabel = (c?: string | null) => label('family', c)
export const kindLabel = (c?: string | null) => label('kind', c)
export const validityLabel = (c?: string | null) => label('validity', c)
export const roleLabel = (c?: string | null) => label('admin.role', c)
export const taskKindLabel = (c?: string | null) => label('taskKind', c)
export const taskStatusLabel = (c?: string | null) => label('taskStatus', c)
export const messageKindLabel = (c?: string | null) => label('messageKind', c)
export const directionLabel = (c?: string | null) => label('direction', c)
