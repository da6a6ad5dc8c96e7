import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { userInput, type InvitationLink, type UserInput } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useCreateUser } from '@/data/users/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

/** The contract's user, and a password when the admin sets one rather than inviting. */
const addUserForm = userInput.refine((u) => u.invite === true || u.password !== undefined, {
  message: 'expected a password of at least 10 characters', path: ['password'],
});

const FIELDS = ['name', 'email', 'role', 'password', 'invite'] as const;

/** `POST /api/users`: with an invitation link (the default) or a password set now. */
export function AddUserDialog({ open, onOpenChange, onInvited }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onInvited: (name: string, link: InvitationLink) => void;
}) {
  const create = useCreateUser();
  const { register, handleSubmit, setError, reset, watch, setValue, formState: { errors, isSubmitting } } = useForm<UserInput>({
    resolver: zodResolver(addUserForm, formErrorMessages),
    defaultValues: { name: '', email: '', role: 'rep', invite: true },
  });
  const invite = watch('invite');
  const close = (next: boolean) => {
    if (!next) reset();
    onOpenChange(next);
  };
  const onSubmit = handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values.invite ? { ...values, password: undefined } : { ...values, invite: undefined });
      close(false);
      if (created.invitation) onInvited(created.name, created.invitation);
      else toast({ title: `${created.name} added`, description: 'They can sign in with the password you set.' });
    } catch (error) {
      showServerErrors(error, setError, FIELDS);
    }
  });
  return (
    <Dialog open={open} onOpenChange={close} title="Add a user" description="They join this workspace as a sales rep or an admin.">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label="Add a user">
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <Field label="Name" error={errors.name?.message}>{(p) => <Input {...p} {...register('name')} autoComplete="off" />}</Field>
        <Field label="Email" error={errors.email?.message}>{(p) => <Input {...p} {...register('email')} type="email" autoComplete="off" />}</Field>
        <Field label="Role" error={errors.role?.message} hint={watch('role') === 'admin' ? 'Admins build cadences, import leads and change these settings.' : 'Reps work their own leads and tasks.'}>
          {(p) => (
            <select {...p} {...register('role')} className="h-9 rounded-md bg-white px-2 text-sm text-zinc-900 ring-1 ring-zinc-300 ring-inset">
              <option value="rep">Sales rep</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1.5 text-[13px] font-medium text-zinc-800">How they sign in</legend>
          <label className="flex items-start gap-2 text-sm text-zinc-800">
            <input type="radio" name="method" checked={invite === true} onChange={() => setValue('invite', true)} className="mt-1" />
            <span>Invitation link <span className="block text-[13px] text-zinc-600">You get a link to send them; they choose their password. It works once, for 7 days.</span></span>
          </label>
          <label className="flex items-start gap-2 text-sm text-zinc-800">
            <input type="radio" name="method" checked={invite !== true} onChange={() => setValue('invite', false)} className="mt-1" />
            <span>Set a password now <span className="block text-[13px] text-zinc-600">Tell them the password; they can change it in their settings.</span></span>
          </label>
        </fieldset>
        {invite !== true && (
          <Field label="Password" error={errors.password?.message} hint="At least 10 characters.">
            {(p) => <Input {...p} {...register('password', { setValueAs: (v: string) => (v === '' ? undefined : v) })} type="password" autoComplete="new-password" />}
          </Field>
        )}
        {errors.invite?.message && <Alert>{errors.invite.message}</Alert>}
        <DialogFooter>
          <Button type="button" onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" loading={isSubmitting}>{invite === true ? 'Add and get the link' : 'Add user'}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
