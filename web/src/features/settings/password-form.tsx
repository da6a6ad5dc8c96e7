import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { passwordChange, type PasswordChange } from '@contract/sessions.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useChangePassword } from '@/data/session/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

/** `PUT /api/users/me/password`: a wrong current password is shown at its field. */
export function PasswordForm() {
  const change = useChangePassword();
  const { register, handleSubmit, setError, reset, formState: { errors, isSubmitting } } = useForm<PasswordChange>({
    resolver: zodResolver(passwordChange, formErrorMessages),
    defaultValues: { current: '', password: '' },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await change.mutateAsync(values);
      reset();
      toast({ title: 'Password changed', description: 'Other browsers signed in as you have been signed out.' });
    } catch (error) {
      showServerErrors(error, setError, ['current', 'password']);
    }
  });
  return (
    <form onSubmit={onSubmit} noValidate className="flex max-w-sm flex-col gap-4" aria-label="Change password">
      {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
      <Field label="Current password" error={errors.current?.message}>
        {(p) => <Input {...p} {...register('current')} type="password" autoComplete="current-password" />}
      </Field>
      <Field label="New password" error={errors.password?.message} hint="At least 10 characters.">
        {(p) => <Input {...p} {...register('password')} type="password" autoComplete="new-password" />}
      </Field>
      <div><Button type="submit" variant="primary" loading={isSubmitting}>Change password</Button></div>
    </form>
  );
}
