import { describe, expect, it } from 'vitest'
import { LOCALES, matchLocale, messages } from './index'

type Tree = { [k: string]: string | Tree }

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)))
}
function get(tree: Tree, key: string): string | Tree | undefined {
  return key.split('.').reduce<any>((t, k) => (t === undefined ? undefined : t[k]), tree)
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

const reference = keys(messages.en as Tree)

describe('the six catalogs', () => {
  it('are all present', () => {
    expect(Object.keys(messages).sort()).toEqual([...LOCALES].sort())
  })

  for (const locale of LOCALES) {
    const catalog = messages[locale] as Tree
    it(`${locale} has every key of the English catalog and no other`, () => {
      const own = keys(catalog)
      expect(reference.filter((k) => !own.includes(k))).toEqual([])
      expect(own.filter((k) => !reference.includes(k))).toEqual([])
    })
    it(`${locale} has no empty message and keeps every {placeholder}`, () => {
      for (const key of reference) {
        const text = get(catalog, key) as string
        expect(text.trim(), key).not.toBe('')
        expect(placeholders(text), key).toEqual(placeholders(get(messages.en as Tree, key) as string))
      }
    })
    if (locale !== 'en') {
      it(`${locale} is translated (most messages differ from English)`, () => {
        const same = reference.filter((k) => get(catalog, k) === get(messages.en as Tree, k))
        expect(same.length / reference.length).toBeLessThan(0.1)
      })
    }
  }

  it('uses the glossary terms for the lifecycle states', () => {
    expect(messages.es.states.plan_review).toBe('Plan en revisión')
    expect(messages.fr.states.responding).toBe('Réponse à envoyer')
    expect(messages['zh-Hans'].states.awaiting_customer).toBe('待客户确认')
    expect(messages['zh-Hant'].states.awaiting_customer).toBe('待客戶確認')
    expect(messages.vi.states.verifying).toBe('Đang kiểm tra')
    expect(messages['zh-Hans'].queue.code).toBe('查询编号')
    expect(messages.fr.queue.code).toBe('Numéro de suivi')
  })
})

describe('matchLocale', () => {
  it('maps browser tags to the six locales', () => {
    expect(matchLocale('zh-TW')).toBe('zh-Hant')
    expect(matchLocale('zh-HK')).toBe('zh-Hant')
    expect(matchLocale('zh-CN')).toBe('zh-Hans')
    expect(matchLocale('zh')).toBe('zh-Hans')
    expect(matchLocale('es-MX')).toBe('es')
    expect(matchLocale('vi-VN')).toBe('vi')
    expect(matchLocale('de-DE')).toBeNull()
    expect(matchLocale(null)).toBeNull()
  })
})
