import { describe, expect, it } from 'vitest'
import { localizeFieldError } from './fieldErrors'
import { localizeFields } from './api'
import { LOCALES, messages } from './i18n'

describe('server field errors in the reader\'s language', () => {
  it('keep the server\'s English message for English readers', () => {
    const e = { field: 'urgency', message: 'is required: urgent, important or general', rule: 'required' }
    expect(localizeFieldError(e, 'en')).toBe('is required: urgent, important or general')
  })

  it('word a known rule from the catalog, with its params', () => {
    expect(localizeFieldError({ field: 'name', message: 'is required', rule: 'required' }, 'fr')).toBe('est obligatoire')
    expect(localizeFieldError({ field: 'score', message: 'must be between 1 and 5', rule: 'range', params: { min: '1', max: '5' } }, 'es'))
      .toBe('debe estar entre 1 y 5')
    expect(localizeFieldError({ field: 'limit', message: 'must be an integer', rule: 'type', params: { type: 'integer' } }, 'zh-Hans'))
      .toBe('必须是整数')
    expect(localizeFieldError({ field: 'department_id', message: 'is retired; choose an active department', rule: 'retired', params: { kind: 'department' } }, 'vi'))
      .toBe('đã ngừng sử dụng; hãy chọn phòng ban đang hoạt động')
  })

  it('fall back to the server\'s message for no rule or a rule this build does not know', () => {
    expect(localizeFieldError({ field: 'x', message: '3 task(s) are still open' }, 'fr')).toBe('3 task(s) are still open')
    expect(localizeFieldError({ field: 'x', message: 'is odd', rule: 'brand_new_rule' }, 'zh-Hant')).toBe('is odd')
  })

  it('has a wording of every rule and word in every catalog, with the same placeholders', () => {
    const en = (messages.en as any).errors
    for (const locale of LOCALES) {
      const errors = (messages[locale] as any).errors
      for (const group of ['rules', 'types', 'kinds']) {
        expect(Object.keys(errors[group]).sort(), `${locale} ${group}`).toEqual(Object.keys(en[group]).sort())
      }
      for (const [rule, text] of Object.entries<string>(errors.rules)) {
        const wanted = (en.rules[rule] as string).match(/\{\w+\}/g)?.sort() ?? []
        expect(text.match(/\{\w+\}/g)?.sort() ?? [], `${locale} ${rule}`).toEqual(wanted)
      }
    }
  })

  it('keep the field each error names', () => {
    expect(localizeFields([{ field: 'name', message: 'is required', rule: 'required' }])).toEqual([{ field: 'name', message: 'is required' }])
    expect(localizeFields(undefined)).toEqual([])
  })
})

describe('a refusal as a form shows it', () => {
  it('joins what the server said of one field and sums the form up', async () => {
    const { ApiError, formErrors } = await import('./api')
    const refused = formErrors(
      new ApiError(422, 'Invalid data', 'the request has 3 invalid fields', [
        { field: 'working_hours.monday', message: 'periods are "HH:MM-HH:MM"' },
        { field: 'working_hours.monday', message: 'periods must be in order' },
        { field: 'name', message: 'is required' },
      ]),
      'Please correct the marked fields.',
      'Something went wrong.',
    )
    expect(refused.fields).toEqual({ 'working_hours.monday': 'periods are "HH:MM-HH:MM"; periods must be in order', name: 'is required' })
    expect(refused.summary).toBe('Please correct the marked fields.')
    expect(formErrors(new ApiError(409, 'Conflict', 'code exists', []), 'x', 'y')).toEqual({ fields: {}, summary: 'code exists' })
    expect(formErrors('odd', 'x', 'Something went wrong.')).toEqual({ fields: {}, summary: 'Something went wrong.' })
  })
})
