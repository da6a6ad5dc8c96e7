import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { safeRedirect } from '@/lib/safe-redirect.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { AuthLayout } from './auth-layout.tsx';
import { SignInForm } from './sign-in-form.tsx';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  usePageTitle('Sign in');
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  return (
    <AuthLayout title="Sign in" description="Welcome back. Sign in to work your queue." footer="No account yet? Ask an admin of your workspace to add you.">
      <SignInForm onSignedIn={() => void navigate({ href: safeRedirect(redirect), replace: true })} />
    </AuthLayout>
  );
}
