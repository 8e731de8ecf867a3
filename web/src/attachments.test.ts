import { describe, expect, it } from 'vitest'
import { previewKind } from './attachments'

describe('attachment previews', () => {
  it('inline raster images, mark PDFs, link the rest', () => {
    expect(previewKind('image/png')).toBe('image')
    expect(previewKind('IMAGE/JPEG; charset=binary')).toBe('image')
    expect(previewKind('application/pdf')).toBe('pdf')
    expect(previewKind('image/svg+xml')).toBe('file')
    expect(previewKind('text/plain')).toBe('file')
    expect(previewKind(null)).toBe('file')
  })
})
