import { zodResolver } from '@hookform/resolvers/zod';
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { acceptInvitation, type AcceptInvitation } from '@contract/user-admin.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useAcceptInvitation, useInvitation } from '@/data/users/index.ts';
import { AuthLayout } from '@/features/auth/auth-layout.tsx';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';

const route = getRouteApi('/invite/$token');

/** The invitee chooses a password; the link then works no more, and they are signed in. */
export function InvitePage() {
  usePageTitle('Join Cadenza');
  const { token } = route.useParams();
  const invitation = useInvitation(token);
  const accept = useAcceptInvitation(token);
  const navigate = useNavigate();
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<AcceptInvitation>({
    resolver: zodResolver(acceptInvitation, formErrorMessages),
    defaultValues: { password: '' },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await accept.mutateAsync(values);
      await navigate({ to: '/today', replace: true });
    } catch (error) {
      showServerErrors(error, setError, ['password']);
    }
  });

  if (invitation.isPending) {
    return <AuthLayout title="Join Cadenza"><div className="grid place-items-center py-8"><Spinner label="Checking the invitation" /></div></AuthLayout>;
  }
  if (!invitation.data) {
    return (
      <AuthLayout title="This invitation link does not work">
        <div className="flex flex-col gap-4">
          <Alert tone="info">It was used already, replaced by a newer link, or it expired. Ask your admin for a new one; if you set a password already, sign in.</Alert>
          <Button asChild variant="primary" className="w-full justify-center"><Link to="/sign-in">Go to sign in</Link></Button>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={`Welcome, ${invitation.data.name}`} description={`Choose a password for ${invitation.data.email}. You will be signed in.`}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Choose your password">
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <input type="email" autoComplete="username" value={invitation.data.email} readOnly hidden />
        <Field label="Password" error={errors.password?.message} hint="At least 10 characters.">
          {(p) => <Input {...p} {...register('password')} type="password" autoComplete="new-password" autoFocus />}
        </Field>
        <Button type="submit" variant="primary" loading={isSubmitting} className="w-full justify-center">Set password and sign in</Button>
      </form>
    </AuthLayout>
  );
}
