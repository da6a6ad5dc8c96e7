import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useSignOut } from '@/data/session/index.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';

/** Ends the session (the server deletes it), forgets every cached answer, and shows sign-in. */
export function SignOutPage() {
  usePageTitle('Signing out');
  const signOut = useSignOut();
  const navigate = useNavigate();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    signOut.mutate(undefined, { onSettled: () => void navigate({ to: '/sign-in', replace: true }) });
  }, [signOut, navigate]);
  return (
    <main id="main" className="grid min-h-screen place-items-center text-zinc-600">
      <span className="flex items-center gap-2 text-sm"><Spinner label="Signing out" /> Signing out…</span>
    </main>
  );
}
