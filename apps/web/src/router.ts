import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import StartPage from './pages/StartPage.vue';
import AccessibilityPage from './pages/AccessibilityPage.vue';
import NotFoundPage from './pages/NotFoundPage.vue';
import ServicePage from './pages/booking/ServicePage.vue';
import OfficePage from './pages/booking/OfficePage.vue';
import TimePage from './pages/booking/TimePage.vue';
import DetailsPage from './pages/booking/DetailsPage.vue';
import CheckPage from './pages/booking/CheckPage.vue';
import ConfirmationPage from './pages/booking/ConfirmationPage.vue';
import MyBookingPage from './pages/MyBookingPage.vue';
import { booking, missingStep } from './lib/booking/store';

/** A later step of the booking without the answers before it (a reload): back to the start. */
const needs = (step: Parameters<typeof missingStep>[0]) => () => {
  if (!missingStep(step)) return true;
  booking.lostState = true;
  return { path: '/boka' };
};

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
    path: '/boka',
    name: 'booking-service',
    component: ServicePage,
    meta: { title: 'booking.service.title' },
  },
  {
    path: '/boka/kontor',
    name: 'booking-office',
    component: OfficePage,
    meta: { title: 'booking.office.title' },
    beforeEnter: needs('office'),
  },
  {
    path: '/boka/tid',
    name: 'booking-time',
    component: TimePage,
    meta: { title: 'booking.time.title' },
    beforeEnter: needs('time'),
  },
  {
    path: '/boka/uppgifter',
    name: 'booking-details',
    component: DetailsPage,
    meta: { title: 'booking.details.title' },
    beforeEnter: needs('details'),
  },
  {
    path: '/boka/kontrollera',
    name: 'booking-check',
    component: CheckPage,
    meta: { title: 'booking.check.title' },
    beforeEnter: needs('check'),
  },
  {
    path: '/boka/bekraftelse',
    name: 'booking-confirmation',
    component: ConfirmationPage,
    meta: { title: 'booking.confirmation.title' },
    beforeEnter: needs('done'),
  },
  {
    path: '/min-bokning',
    name: 'my-booking',
    component: MyBookingPage,
    meta: { title: 'myBooking.title' },
  },
  {
    path: '/:path(.*)*',
    name: 'not-found',
    component: NotFoundPage,
    meta: { title: 'notFound.title' },
  },
];

export const router = createRouter({ history: createWebHistory(), routes });
