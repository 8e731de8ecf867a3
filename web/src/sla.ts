// SLA administration helpers: ISO 8601 durations shown readably, business-calendar
// periods typed as "09:00-12:00, 13:00-17:00" and a week summarised in one line. The
// server stays the judge of what is valid: these only read and format, and whatever they
// cannot read is sent (or shown) as typed so the server's field error names it.

/** The API's weekday keys (src/http/requests.h kDayNames), Sunday first. */
export const DAY_KEYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
export type DayKey = (typeof DAY_KEYS)[number]
/** The order the forms and summaries show the week in (Monday first, as ISO 8601). */
export const WEEK_ORDER: DayKey[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']

export type WorkingHours = Partial<Record<DayKey, string[]>>

export interface Calendar {
  id: number
  name: string
  time_zone: string
  working_hours: WorkingHours
  holidays: string[]
}

export interface SlaPolicy {
  id: number
  name: string
  urgency: string | null
  category: string | null
  first_response: string | null
  resolution: string | null
  state_targets: Record<string, string>
  warning_percent: number
  director_percent: number
  calendar_id: number | null
}

const NUMBER = '(\\d+(?:[.,]\\d+)?)'
const DURATION = new RegExp(`^P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`)
const UNITS = ['week', 'day', 'hour', 'minute', 'second'] as const

/**
 * "PT1H30M" as "1 hour 30 minutes" in `locale`, each part as written and none converted
 * (with a calendar, P1D is 24 working hours, not a working day). Text that is not such a
 * duration is returned unchanged.
 */
export function formatDuration(iso: string, locale: string): string {
  const m = DURATION.exec(iso.trim())
  if (!m || iso.trim() === 'P' || iso.trim().endsWith('T')) return iso
  const parts: string[] = []
  UNITS.forEach((unit, i) => {
    const text = m[i + 1]
    if (text === undefined) return
    const value = Number(text.replace(',', '.'))
    if (value === 0) return
    parts.push(new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value))
  })
  return parts.length ? parts.join(' ') : iso
}

/** "09:00-12:00, 13:00-17:00" as ["09:00-12:00", "13:00-17:00"]; blank is a closed day. */
export function parsePeriods(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((s) => s.trim().replace(/\s*[-–—]\s*/g, '-'))
    .filter(Boolean)
}

/** The periods of a day as typed in the form. */
export const periodsText = (periods: string[] | undefined) => (periods ?? []).join(', ')

/** A weekday's name in `locale` (2024-01-07 was a Sunday). */
export function dayName(day: DayKey, locale: string, width: 'long' | 'short' = 'long'): string {
  const date = new Date(Date.UTC(2024, 0, 7 + DAY_KEYS.indexOf(day)))
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(date)
}

/**
 * The week in one line: consecutive days with the same hours grouped, Monday first —
 * "Mon–Fri 09:00-17:00 · Sat–Sun closed" (`closed` is the word for a day without hours).
 */
export function weekSummary(hours: WorkingHours, locale: string, closed: string): string {
  const groups: { first: DayKey; last: DayKey; text: string }[] = []
  for (const day of WEEK_ORDER) {
    const text = (hours[day] ?? []).join(', ') || closed
    const previous = groups[groups.length - 1]
    if (previous && previous.text === text) previous.last = day
    else groups.push({ first: day, last: day, text })
  }
  return groups
    .map((g) => {
      const days = g.first === g.last
        ? dayName(g.first, locale, 'short')
        : `${dayName(g.first, locale, 'short')}–${dayName(g.last, locale, 'short')}`
      return `${days} ${g.text}`
    })
    .join(' · ')
}

/** Common IANA time zones, offered when the browser cannot list its own. */
const COMMON_ZONES = [
  'UTC', 'Europe/London', 'Europe/Paris', 'Europe/Madrid', 'Europe/Berlin', 'America/New_York',
  'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Mexico_City', 'America/Bogota',
  'America/Sao_Paulo', 'Africa/Casablanca', 'Africa/Abidjan', 'Asia/Ho_Chi_Minh', 'Asia/Shanghai',
  'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney',
]

/** The time zones to suggest: the browser's IANA list when it has one, else COMMON_ZONES. */
export function timeZones(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf
  try {
    const list = supported ? supported('timeZone') : []
    return list.length ? list : COMMON_ZONES
  } catch {
    return COMMON_ZONES
  }
}
