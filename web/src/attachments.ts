// Attachments in the browser: how the complaint page previews one, and the portal's
// upload (limits checked before sending, the server's refusal shown as it said it).
//
// How the complaint page previews an attachment, from the content type the server
// detected at upload (libmagic, not the file name): raster images inline, PDFs as a
// marked link, everything else as a plain link. SVG is never inlined (it can carry
// script; a plain link downloads it).
import { ApiError, localizeFields } from './api'
import { type ProblemFieldError, localizeFieldError } from './fieldErrors'
import { type Locale, i18n } from './i18n'

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export function previewKind(contentType: string | null | undefined): 'image' | 'pdf' | 'file' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (INLINE_IMAGES.has(type)) return 'image'
  if (type === 'application/pdf') return 'pdf'
  return 'file'
}

// The server's upload limits (src/http/api.h ApiOptions: max_upload_bytes, which also
// bounds one request's body, and max_files_per_upload), checked in the browser first so
// a customer learns at once, before anything is sent; the server checks again and has
// the last word (and decides the type, from the bytes).
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const MAX_FILES_PER_UPLOAD = 10

export interface FileCheck {
  tooLarge: string[] // names of the files over MAX_UPLOAD_BYTES
  tooLargeTogether: boolean // each fits, but one request cannot carry them all
  tooMany: boolean // more than MAX_FILES_PER_UPLOAD at once
}

/** What the server would refuse on size and count alone (the type is decided there). */
export function checkFiles(files: readonly { name: string; size: number }[]): FileCheck {
  const tooLarge = files.filter((f) => f.size > MAX_UPLOAD_BYTES).map((f) => f.name)
  const total = files.reduce((sum, f) => sum + f.size, 0)
  return {
    tooLarge,
    tooLargeTogether: tooLarge.length === 0 && total > MAX_UPLOAD_BYTES,
    tooMany: files.length > MAX_FILES_PER_UPLOAD,
  }
}

/** A file size for people, in the given locale: "812 bytes", "3.4 kB", "10 MB" (binary multiples). */
export function formatBytes(bytes: number, locale = 'en'): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : bytes >= 1024 ? [bytes / 1024, 'kilobyte'] : [bytes, 'byte']
  // Bytes are spelled out: CLDR's short form is "812 byte" in English, its long one
  // "812 bytes", "812 octets", "812字节"; kB and MB read well short everywhere.
  const unitDisplay = unit === 'byte' ? 'long' : 'short'
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(value)
}

/** A file the customer added, as the portal lists it. */
export interface PublicAttachment {
  id: number
  filename: string
  content_type: string
  size: number
  at: string
}

/**
 * The message for a refused upload. English readers get the server's own sentence (its
 * detail names the file and the rule), else what it said about the field `file`, else
 * the status. Readers of the other languages get the catalog's wording of the rule the
 * server named on `file` (fieldErrors.ts), and the English sentence only when it named
 * none this build knows.
 */
export function uploadErrorMessage(
  problem: { detail?: string; errors?: ProblemFieldError[] } | null,
  status: number,
  locale: Locale = i18n.global.locale.value,
): string {
  const named = problem?.errors?.filter((e) => e.field === 'file') ?? []
  if (locale !== 'en') {
    const worded = named.filter((e) => e.rule && i18n.global.te(`errors.rules.${e.rule}`, locale))
    if (worded.length) return worded.map((e) => localizeFieldError(e, locale)).join(' ')
  }
  if (problem?.detail) return problem.detail
  return named.length ? named.map((e) => e.message).join(' ') : `HTTP ${status}`
}

/**
 * Sends files to the portal's upload route (multipart, parts named 'file'), with the
 * access token in its header; answers what the server stored. A refusal throws an
 * ApiError carrying the server's message (uploadErrorMessage).
 */
export async function uploadPortalFiles(code: string, token: string, files: readonly File[]): Promise<PublicAttachment[]> {
  const form = new FormData()
  for (const f of files) form.append('file', f)
  const r = await fetch(`/api/v1/public/complaints/${encodeURIComponent(code)}/attachments`, {
    method: 'POST',
    body: form,
    headers: { Accept: 'application/json', 'X-Access-Token': token },
    credentials: 'omit',
  })
  const data = await r.json().catch(() => null)
  if (!r.ok) throw new ApiError(r.status, data?.title ?? '', uploadErrorMessage(data, r.status), localizeFields(data?.errors))
  return data?.items ?? []
}

/**
 * Downloads a file the customer added: the route needs the access token in a header,
 * which a plain link cannot send, so the file is fetched and saved through a blob: URL
 * and a download link (a download is not a fetch the CSP restricts). Throws an ApiError
 * with the server's message.
 */
export async function downloadPortalFile(code: string, token: string, file: PublicAttachment): Promise<void> {
  const r = await fetch(`/api/v1/public/complaints/${encodeURIComponent(code)}/attachments/${file.id}`, {
    headers: { 'X-Access-Token': token },
    credentials: 'omit',
  })
  if (!r.ok) {
    const data = await r.json().catch(() => null)
    throw new ApiError(r.status, data?.title ?? '', uploadErrorMessage(data, r.status), localizeFields(data?.errors))
  }
  const href = URL.createObjectURL(await r.blob())
  const link = document.createElement('a')
  link.href = href
  link.download = file.filename
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
