import { describe, expect, it } from 'vitest'
import { formatDuration, parsePeriods, periodsText, weekSummary } from './sla'

describe('formatDuration', () => {
  it('reads each part as written, in the locale', () => {
    expect(formatDuration('PT24H', 'en')).toBe('24 hours')
    expect(formatDuration('P5D', 'en')).toBe('5 days')
    expect(formatDuration('PT1H30M', 'en')).toBe('1 hour 30 minutes')
    expect(formatDuration('P1W', 'en')).toBe('1 week')
    expect(formatDuration('PT1.5S', 'en')).toBe('1.5 seconds')
    expect(formatDuration('P2D', 'fr').replace(/\s/g, ' ')).toBe('2 jours')
  })
  it('returns what it cannot read unchanged', () => {
    expect(formatDuration('two hours', 'en')).toBe('two hours')
    expect(formatDuration('P', 'en')).toBe('P')
    expect(formatDuration('PT', 'en')).toBe('PT')
    expect(formatDuration('P1M', 'en')).toBe('P1M')
  })
})

describe('parsePeriods', () => {
  it('splits on commas, semicolons and lines and tidies the dashes', () => {
    expect(parsePeriods('09:00-12:00, 13:00 – 17:00')).toEqual(['09:00-12:00', '13:00-17:00'])
    expect(parsePeriods('08:00-10:00;\n11:00-12:00')).toEqual(['08:00-10:00', '11:00-12:00'])
  })
  it('reads a blank day as closed and keeps what it does not understand', () => {
    expect(parsePeriods('  ')).toEqual([])
    expect(parsePeriods('17:00-09:00, nine to five')).toEqual(['17:00-09:00', 'nine to five'])
  })
  it('round-trips with periodsText', () => {
    expect(parsePeriods(periodsText(['09:00-12:00', '13:00-17:00']))).toEqual(['09:00-12:00', '13:00-17:00'])
    expect(periodsText(undefined)).toBe('')
  })
})

describe('weekSummary', () => {
  it('groups consecutive days with the same hours, Monday first', () => {
    const office = ['09:00-17:00']
    const hours = { monday: office, tuesday: office, wednesday: office, thursday: office, friday: office, saturday: [], sunday: [] }
    expect(weekSummary(hours, 'en', 'closed')).toBe('Mon–Fri 09:00-17:00 · Sat–Sun closed')
  })
  it('keeps single days apart', () => {
    const hours = { monday: ['09:00-12:00', '13:00-17:00'], wednesday: ['10:00-11:00'] }
    expect(weekSummary(hours, 'en', 'closed')).toBe('Mon 09:00-12:00, 13:00-17:00 · Tue closed · Wed 10:00-11:00 · Thu–Sun closed')
  })
})
