import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setUnauthorizedHandler } from '@/api/client.ts';
import { Providers } from '@/app/providers.tsx';
import { createAppRouter } from '@/app/router.tsx';
import { createQueryClient } from '@/data/query-client.ts';
import './styles.css';

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

// A 401 from any call means the session ended (expired, signed out elsewhere, password
// changed): forget what was cached and sign in again, coming back to this page after.
setUnauthorizedHandler(() => {
  const here = router.state.location;
  if (here.pathname === '/sign-in') return;
  // Navigate first: clearing while the page is shown would refetch its data, 401 again.
  void router.navigate({ to: '/sign-in', search: { redirect: here.href }, replace: true }).then(() => queryClient.clear());
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
