/** Entry: the page for the address, each loaded on its own (the admin page needs no media code). */
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n/index.js';
import './styles.css';
import { parseRoute } from './routes.js';
import { LandingPage } from './ui/LandingPage.js';

const container = document.getElementById('root');
if (container === null) throw new TypeError('index.html has no #root');

const JoinRoute = lazy(() => import('./JoinRoute.js').then((m) => ({ default: m.JoinRoute })));
const ShortLinkPage = lazy(() => import('./ui/ShortLinkPage.js').then((m) => ({ default: m.ShortLinkPage })));
const AdminPage = lazy(() => import('./ui/admin/AdminPage.js').then((m) => ({ default: m.AdminPage })));

const route = parseRoute(window.location.pathname, window.location.search);

function page() {
  switch (route.page) {
    case 'landing':
      return <LandingPage />;
    case 'admin':
      return <AdminPage />;
    case 'join':
      return <JoinRoute invite={route.invite} />;
    case 'short':
      return <ShortLinkPage code={route.code} />;
  }
}

createRoot(container).render(
  <StrictMode>
    <Suspense fallback={null}>{page()}</Suspense>
  </StrictMode>,
);
