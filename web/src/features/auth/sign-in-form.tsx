import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { loginInput, type LoginInput } from '@contract/sessions.ts';
import type { User } from '@contract/users.ts';
import { isApiError } from '@/api/api-error.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useSignIn } from '@/data/session/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { formatWait } from '@/lib/format.ts';

/** Email and password; a wrong pair, a throttled address and field errors each say what to do. */
export function SignInForm({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const signIn = useSignIn();
  const form = useForm<LoginInput>({ resolver: zodResolver(loginInput, formErrorMessages), defaultValues: { email: '', password: '' } });
  const { register, handleSubmit, formState: { errors, isSubmitting }, setError, resetField, setFocus } = form;

  const onSubmit = handleSubmit(async (values) => {
    try {
      const { user } = await signIn.mutateAsync(values);
      onSignedIn(user);
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        resetField('password');
        setError('root.server', { type: 'server', message: 'That email and password do not match an account. Check both and try again.' });
        setFocus('password');
      } else if (isApiError(error) && error.status === 429) {
        const wait = error.retryAfterSeconds ? formatWait(error.retryAfterSeconds) : 'a little while';
        setError('root.server', { type: 'server', message: `Too many attempts. For your account's safety, try again in ${wait}.` });
      } else {
        showServerErrors(error, setError, ['email', 'password']);
      }
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Sign in">
      {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
      <Field label="Email" error={errors.email?.message}>
        {(p) => <Input {...p} {...register('email')} type="email" autoComplete="username" autoFocus />}
      </Field>
      <Field label="Password" error={errors.password?.message}>
        {(p) => <Input {...p} {...register('password')} type="password" autoComplete="current-password" />}
      </Field>
      <Button type="submit" variant="primary" loading={isSubmitting} className="mt-1 w-full justify-center">Sign in</Button>
    </form>
  );
}
