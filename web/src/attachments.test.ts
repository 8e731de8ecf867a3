import { describe, expect, it } from 'vitest'
import { MAX_FILES_PER_UPLOAD, MAX_UPLOAD_BYTES, checkFiles, formatBytes, previewKind, uploadErrorMessage } from './attachments'

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

describe('upload checks in the browser', () => {
  it('mirror the server limits: 10 MiB a file, 10 files at once', () => {
    expect(MAX_UPLOAD_BYTES).toBe(10 * 1024 * 1024)
    const ok = checkFiles([{ name: 'a.png', size: MAX_UPLOAD_BYTES }])
    expect(ok).toEqual({ tooLarge: [], tooLargeTogether: false, tooMany: false })
    const big = checkFiles([{ name: 'a.png', size: 1 }, { name: 'video.mov', size: MAX_UPLOAD_BYTES + 1 }])
    expect(big.tooLarge).toEqual(['video.mov'])
    // one request carries at most 10 MiB: two 6 MiB photos go in two goes
    const two = checkFiles([{ name: 'a.jpg', size: 6 * 1024 * 1024 }, { name: 'b.jpg', size: 6 * 1024 * 1024 }])
    expect(two).toEqual({ tooLarge: [], tooLargeTogether: true, tooMany: false })
    const many = checkFiles(Array.from({ length: MAX_FILES_PER_UPLOAD + 1 }, (_, i) => ({ name: `n${i}.txt`, size: 1 })))
    expect(many.tooMany).toBe(true)
    expect(checkFiles(many.tooLarge.map((n) => ({ name: n, size: 1 }))).tooMany).toBe(false)
  })

  it('formats sizes in binary multiples', () => {
    expect(formatBytes(812)).toBe('812 bytes')
    expect(formatBytes(1)).toBe('1 byte')
    expect(formatBytes(70, 'fr')).toMatch(/^70\s+octets$/) // French puts a no-break space
    expect(formatBytes(3.5 * 1024)).toBe('3.5 kB')
    expect(formatBytes(MAX_UPLOAD_BYTES)).toBe('10 MB')
  })

  it("shows the server's own sentence, else what it said about the file", () => {
    expect(uploadErrorMessage({ detail: 'a file is larger than 10 MiB (big.txt)', errors: [{ field: 'file', message: 'is larger than 10 MiB (big.txt)' }] }, 413)).toBe(
      'a file is larger than 10 MiB (big.txt)',
    )
    expect(uploadErrorMessage({ errors: [{ field: 'file', message: 'unsupported type application/x-dosexec' }] }, 415)).toBe(
      'unsupported type application/x-dosexec',
    )
    expect(uploadErrorMessage(null, 502)).toBe('HTTP 502')
  })

  it('words the rule the server named in the reader\'s language', () => {
    const tooLarge = {
      detail: 'a file is larger than 10 MiB (big.txt)',
      errors: [{ field: 'file', message: 'is larger than 10 MiB (big.txt)', rule: 'file_too_large', params: { max: '10 MiB', file: 'big.txt' } }],
    }
    expect(uploadErrorMessage(tooLarge, 413, 'en')).toBe('a file is larger than 10 MiB (big.txt)')
    expect(uploadErrorMessage(tooLarge, 413, 'fr')).toBe('big.txt dépasse 10 MiB')
    expect(uploadErrorMessage(tooLarge, 413, 'vi')).toBe('big.txt lớn hơn 10 MiB')
    const wrongType = {
      errors: [{ field: 'file', message: 'unsupported type application/x-dosexec (tool.png): send an image, a PDF or a text file', rule: 'file_type', params: { media_type: 'application/x-dosexec', file: 'tool.png' } }],
    }
    expect(uploadErrorMessage(wrongType, 415, 'zh-Hans')).toBe('不接受 tool.png（application/x-dosexec），请发送图片、PDF 或文本文件')
    // a rule this build does not know: the server's English sentence
    expect(uploadErrorMessage({ detail: 'something new', errors: [{ field: 'file', message: 'x', rule: 'brand_new' }] }, 422, 'es')).toBe('something new')
  })
})
