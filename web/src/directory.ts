// Reference data the console shows names for: departments, users, categories and the
// lifecycle table. Loaded once per page load and shared.
import { reactive } from 'vue'
import { all, api, type Category, type Department, type Transition, type User } from './api'

export const directory = reactive({
  departments: [] as Department[],
  users: [] as User[],
  categories: [] as Category[],
  lifecycle: [] as Transition[],
  loaded: false,
})

let loading: Promise<void> | null = null

export function loadDirectory(force = false): Promise<void> {
  if (loading && !force) return loading
  loading = (async () => {
    const [departments, users, categories, lifecycle] = await Promise.all([
      all<Department>('/api/v1/departments').catch(() => []),
      all<User>('/api/v1/users').catch(() => []),
      all<Category>('/api/v1/categories').catch(() => []),
      api.get<{ transitions: Transition[] }>('/api/v1/lifecycle').then((r) => r.transitions),
    ])
    Object.assign(directory, { departments, users, categories, lifecycle, loaded: true })
  })()
  return loading
}

export function departmentName(id: number | null | undefined): string {
  if (id === null || id === undefined) return '—'
  return directory.departments.find((d) => d.id === id)?.name ?? `#${id}`
}

export function userName(id: number | null | undefined): string {
  if (id === null || id === undefined) return '—'
  const u = directory.users.find((x) => x.id === id)
  return u ? u.display_name || u.username : `#${id}`
}

export function categoryName(code: string | null | undefined): string {
  if (!code) return '—'
  return directory.categories.find((c) => c.code === code)?.name ?? code
}

// What forms offer: active entries only (retired ones stay in the lists above so that
// existing complaints keep their names), plus `keep` — the value a form already holds —
// so editing something that points at a retired entry does not silently drop it.
export function activeDepartments(keep?: number | string | null): Department[] {
  return directory.departments.filter((d) => d.active !== false || String(d.id) === String(keep ?? ''))
}

export function activeCategories(keep?: string | null): Category[] {
  return directory.categories.filter((c) => c.active !== false || c.code === (keep ?? ''))
}

export function activeUsers(keep?: number | string | null): User[] {
  return directory.users.filter((u) => u.active !== false || String(u.id) === String(keep ?? ''))
}
