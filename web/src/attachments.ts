// How the complaint page previews an attachment, from the content type the server
// detected at upload (libmagic, not the file name): raster images inline, PDFs as a
// marked link, everything else as a plain link. SVG is never inlined (it can carry
// script; a plain link downloads it).
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export function previewKind(contentType: string | null | undefined): 'image' | 'pdf' | 'file' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (INLINE_IMAGES.has(type)) return 'image'
  if (type === 'application/pdf') return 'pdf'
  return 'file'
}
