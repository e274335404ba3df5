import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import StartPage from './pages/StartPage.vue';
import AccessibilityPage from './pages/AccessibilityPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import KioskPage from './pages/KioskPage.vue';
import LobbyPage from './pages/LobbyPage.vue';
import TicketPage from './pages/TicketPage.vue';
import StaffPage from './pages/StaffPage.vue';

/** Every page of the web; each new page adds its route here (and its texts in both languages). */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'start', component: StartPage, meta: { title: 'start.title' } },
  {
    path: '/tillganglighet',
    name: 'accessibility',
    component: AccessibilityPage,
    meta: { title: 'accessibility.title' },
  },
  {
    path: '/kiosk/:officeId',
    name: 'kiosk',
    component: KioskPage,
    meta: { title: 'frontdesk.kiosk.pageTitle', bare: true },
  },
  {
    path: '/lobby/:officeId',
    name: 'lobby',
    component: LobbyPage,
    meta: { title: 'frontdesk.lobby.pageTitle', bare: true },
  },
  {
    path: '/biljett/:token',
    name: 'ticket',
    component: TicketPage,
    meta: { title: 'frontdesk.ticket.pageTitle' },
  },
  {
    path: '/personal',
    name: 'staff',
    component: StaffPage,
    meta: { title: 'frontdesk.staff.pageTitle' },
  },
  {
    path: '/:path(.*)*',
    name: 'not-found',
    component: NotFoundPage,
    meta: { title: 'notFound.title' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });
