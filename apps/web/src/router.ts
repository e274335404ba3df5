import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import StartPage from './pages/StartPage.vue';
import AccessibilityPage from './pages/AccessibilityPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import MinePage from './pages/MinePage.vue';

/** Every page of the web; each new page adds its route here (and its texts in both languages). */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'start', component: StartPage, meta: { title: 'start.title' } },
  {
    path: '/tillganglighet',
    name: 'accessibility',
    component: AccessibilityPage,
    meta: { title: 'accessibility.title' },
  },
  { path: '/mina-sidor', name: 'mine', component: MinePage, meta: { title: 'mine.title' } },
  {
    path: '/:path(.*)*',
    name: 'not-found',
    component: NotFoundPage,
    meta: { title: 'notFound.title' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });
