import { createRouter, createWebHistory } from 'vue-router'
import { checkSession } from './session'

const routes = [
  { path: '/', component: () => import('./views/HomeView.vue') },
  { path: '/login', component: () => import('./views/LoginView.vue') },
  { path: '/queue', component: () => import('./views/QueueView.vue'), meta: { staff: true } },
  { path: '/board', component: () => import('./views/BoardView.vue'), meta: { staff: true } },
  { path: '/complaints/:id', component: () => import('./views/ComplaintView.vue'), meta: { staff: true } },
  { path: '/intake', component: () => import('./views/IntakeView.vue'), meta: { staff: true } },
  { path: '/dashboard', component: () => import('./views/DashboardView.vue'), meta: { staff: true } },
  { path: '/lessons', component: () => import('./views/LessonsView.vue'), meta: { staff: true } },
  { path: '/notifications', component: () => import('./views/NotificationsView.vue'), meta: { staff: true } },
  { path: '/admin', component: () => import('./views/AdminView.vue'), meta: { staff: true } },
  { path: '/portal', component: () => import('./views/PortalSubmitView.vue'), meta: { portal: true } },
  { path: '/portal/track', component: () => import('./views/PortalTrackView.vue'), meta: { portal: true } },
  { path: '/portal/track/:code', component: () => import('./views/PortalTrackView.vue'), meta: { portal: true } },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (!to.meta.staff) return true
  const user = await checkSession()
  if (!user) return { path: '/login', query: { next: to.fullPath } }
  return true
})
