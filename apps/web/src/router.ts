import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import StartPage from './pages/StartPage.vue';
import AccessibilityPage from './pages/AccessibilityPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import ServicePage from './pages/booking/ServicePage.vue';
import { booking, missingStep } from './lib/booking/store';

/** A later step of the booking without the answers before it (a reload): back to the start. */
const needs = (step: Parameters<typeof missingStep>[0]) => () => {
  if (!missingStep(step)) return true;
  booking.lostState = true;
  return { path: '/boka' };
};

/** Every page of the web; each new page adds its route here (and its texts in both languages). */
// The later steps and my booking load on the way (vue-router resolves them before the page
// changes, so the focus still lands on their heading): the first page carries less.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'start', component: StartPage, meta: { title: 'start.title' } },
  {
    path: '/tillganglighet',
    name: 'accessibility',
    component: AccessibilityPage,
    meta: { title: 'accessibility.title' },
  },
  {
    path: '/mina-sidor',
    name: 'mine',
    component: () => import('./pages/MinePage.vue'),
    meta: { title: 'mine.title' },
  },
  {
    path: '/boka',
    name: 'booking-service',
    component: ServicePage,
    meta: { title: 'booking.service.title' },
  },
  {
    path: '/boka/kontor',
    name: 'booking-office',
    component: () => import('./pages/booking/OfficePage.vue'),
    meta: { title: 'booking.office.title' },
    beforeEnter: needs('office'),
  },
  {
    path: '/boka/behov',
    name: 'booking-needs',
    component: () => import('./pages/booking/NeedsPage.vue'),
    meta: { title: 'booking.needs.title' },
    beforeEnter: needs('needs'),
  },
  {
    path: '/boka/tid',
    name: 'booking-time',
    component: () => import('./pages/booking/TimePage.vue'),
    meta: { title: 'booking.time.title' },
    beforeEnter: needs('time'),
  },
  {
    path: '/boka/uppgifter',
    name: 'booking-details',
    component: () => import('./pages/booking/DetailsPage.vue'),
    meta: { title: 'booking.details.title' },
    beforeEnter: needs('details'),
  },
  {
    path: '/boka/kontrollera',
    name: 'booking-check',
    component: () => import('./pages/booking/CheckPage.vue'),
    meta: { title: 'booking.check.title' },
    beforeEnter: needs('check'),
  },
  {
    path: '/boka/bekraftelse',
    name: 'booking-confirmation',
    component: () => import('./pages/booking/ConfirmationPage.vue'),
    meta: { title: 'booking.confirmation.title' },
    beforeEnter: needs('done'),
  },
  {
    path: '/min-bokning',
    name: 'my-booking',
    component: () => import('./pages/MyBookingPage.vue'),
    meta: { title: 'myBooking.title' },
  },
  {
    path: '/kiosk/:officeId',
    name: 'kiosk',
    component: () => import('./pages/KioskPage.vue'),
    meta: { title: 'frontdesk.kiosk.pageTitle', bare: true },
  },
  {
    path: '/lobby/:officeId',
    name: 'lobby',
    component: () => import('./pages/LobbyPage.vue'),
    meta: { title: 'frontdesk.lobby.pageTitle', bare: true },
  },
  {
    path: '/biljett/:token',
    name: 'ticket',
    component: () => import('./pages/TicketPage.vue'),
    meta: { title: 'frontdesk.ticket.pageTitle' },
  },
  {
    path: '/personal',
    name: 'staff',
    component: () => import('./pages/StaffPage.vue'),
    meta: { title: 'frontdesk.staff.pageTitle' },
  },
  {
    path: '/personal/boka',
    name: 'staff-booking',
    component: () => import('./pages/StaffBookingPage.vue'),
    meta: { title: 'staffBooking.title.start' },
  },
  {
    path: '/:path(.*)*',
    name: 'not-found',
    component: NotFoundPage,
    meta: { title: 'notFound.title' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });
