import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { deactivateInput, type DeactivateInput } from '@contract/user-admin.ts';
import type { UserListItem } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { useDeactivateUser } from '@/data/users/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

/**
 * Deactivating says what happens: sign-in ends at once, tokens are revoked for good,
 * and their work either stays theirs (visible to admins) or moves to someone.
 */
export function DeactivateDialog({ user, others, onClose }: { user: UserListItem; others: UserListItem[]; onClose: () => void }) {
  const deactivate = useDeactivateUser();
  const { register, handleSubmit, setError, watch, formState: { errors, isSubmitting } } = useForm<DeactivateInput>({
    resolver: zodResolver(deactivateInput, formErrorMessages),
    defaultValues: { reassignTo: undefined },
  });
  const target = others.find((o) => o.id === watch('reassignTo'));
  const onSubmit = handleSubmit(async (values) => {
    try {
      const done = await deactivate.mutateAsync({ id: user.id, input: values });
      const moved = done.reassigned.tasks + done.reassigned.leads > 0
        ? `${done.reassigned.tasks} open ${done.reassigned.tasks === 1 ? 'task' : 'tasks'} and ${done.reassigned.leads} ${done.reassigned.leads === 1 ? 'lead' : 'leads'} moved to ${target?.name ?? 'the new owner'}.`
        : 'Their leads and open tasks stay assigned to them.';
      toast({ title: `${user.name} is deactivated`, description: moved });
      onClose();
    } catch (error) {
      showServerErrors(error, setError, ['reassignTo']);
    }
  });
  return (
    <Dialog open onOpenChange={(o) => { if (!o) onClose(); }} title={`Deactivate ${user.name}?`} description={user.email}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4" aria-label={`Deactivate ${user.name}`}>
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <ul className="flex list-disc flex-col gap-1.5 pl-5 text-sm text-zinc-800">
          <li>They can no longer sign in, and every browser where they are signed in is signed out now.</li>
          <li>Their API tokens are revoked for good; reactivating them later does not bring the tokens back.</li>
          <li>Nothing of theirs is deleted: their sent emails, completed tasks and history stay.</li>
        </ul>
        <Field
          label="Their leads and open tasks"
          error={errors.reassignTo?.message}
          hint={target
            ? `Their open tasks and their leads go to ${target.name}. Automatic emails to those leads then go out from ${target.name}'s mailbox.`
            : 'They stay assigned to them: admins still see them on Today and Leads and can reassign them later. Automatic emails to their leads keep going out from their mailbox.'}
        >
          {(p) => (
            <select {...p} {...register('reassignTo', { setValueAs: (v: string) => (v === '' ? undefined : v) })} className="h-9 rounded-md bg-white px-2 text-sm text-zinc-900 ring-1 ring-zinc-300 ring-inset">
              <option value="">Keep them assigned to {user.name}</option>
              {others.map((o) => <option key={o.id} value={o.id}>Move them to {o.name}</option>)}
            </select>
          )}
        </Field>
        <DialogFooter>
          <Button type="button" onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" loading={isSubmitting}>Deactivate {user.name}</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
