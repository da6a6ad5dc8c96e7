import { zodResolver } from '@hookform/resolvers/zod';
import { Link, useNavigate } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { setupInput, type SetupInput } from '@contract/sessions.ts';
import { isApiError } from '@/api/api-error.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useSetupFirstAdmin } from '@/data/session/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { usePageTitle } from '@/lib/use-page-title.ts';
import { AuthLayout } from './auth-layout.tsx';

/** The first visit to an empty workspace: create the admin who signs in with a password. */
export function SetupPage() {
  usePageTitle('Set up Cadenza');
  const navigate = useNavigate();
  const setup = useSetupFirstAdmin();
  const { register, handleSubmit, setError, formState: { errors, isSubmitting } } = useForm<SetupInput>({
    resolver: zodResolver(setupInput, formErrorMessages),
    defaultValues: { name: '', email: '', password: '' },
  });
  const setupDone = setup.error && isApiError(setup.error) && setup.error.status === 409 && !setup.error.fields.email;

  const onSubmit = handleSubmit(async (values) => {
    try {
      await setup.mutateAsync(values);
      await navigate({ to: '/today', replace: true });
    } catch (error) {
      showServerErrors(error, setError, ['name', 'email', 'password']);
    }
  });

  return (
    <AuthLayout title="Set up your workspace" description="Create the first admin account. You can invite your team once you are in.">
      {setupDone ? (
        <div className="flex flex-col gap-4">
          <Alert tone="info" title="This workspace is already set up">Someone created the first admin a moment ago. Sign in with your account.</Alert>
          <Button asChild variant="primary" className="w-full justify-center"><Link to="/sign-in">Go to sign in</Link></Button>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Create the first admin">
          {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
          <Field label="Your name" error={errors.name?.message}>
            {(p) => <Input {...p} {...register('name')} autoComplete="name" autoFocus />}
          </Field>
          <Field label="Work email" error={errors.email?.message}>
            {(p) => <Input {...p} {...register('email')} type="email" autoComplete="email" />}
          </Field>
          <Field label="Password" error={errors.password?.message} hint="At least 10 characters.">
            {(p) => <Input {...p} {...register('password')} type="password" autoComplete="new-password" />}
          </Field>
          <Button type="submit" variant="primary" loading={isSubmitting} className="mt-1 w-full justify-center">Create admin and sign in</Button>
        </form>
      )}
    </AuthLayout>
  );
}
