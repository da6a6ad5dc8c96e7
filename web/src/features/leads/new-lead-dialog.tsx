import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { leadInput, type Lead, type LeadInput } from '@contract/leads.ts';
import type { User } from '@contract/users.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { useCreateLead } from '@/data/leads/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

type Values = z.input<typeof leadInput>;
const FIELDS = ['email', 'firstName', 'lastName', 'company', 'phone', 'status', 'ownerId'] as const;
/** An empty box means "not given", not an empty name. */
const blankIsUnset = { setValueAs: (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v) };

/**
 * A new lead: the email (unique in the workspace, any case: a taken one is said at the
 * field) and what else is known. An admin picks the owner; a rep's leads are its own.
 */
export function NewLeadDialog({ open, onOpenChange, onCreated, users, me }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (lead: Lead) => void;
  /** Everyone an admin may give the lead to; undefined for a rep. */
  users: User[] | undefined;
  me: { id: string };
}) {
  const create = useCreateLead();
  const { register, handleSubmit, setError, reset, formState: { errors, isSubmitting } } = useForm<Values, unknown, LeadInput>({
    resolver: zodResolver(leadInput, formErrorMessages),
    defaultValues: { email: '', status: 'New', ownerId: me.id },
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      const created = await create.mutateAsync(values);
      reset();
      onCreated(created);
    } catch (error) {
      showServerErrors(error, setError, FIELDS);
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => { if (!isSubmitting) onOpenChange(next); }}
      title="New lead"
      description="Only the email is needed; a lead’s email is unique in the workspace."
    >
      <form onSubmit={onSubmit} noValidate className="grid grid-cols-1 gap-3 sm:grid-cols-2" aria-label="New lead">
        {errors.root?.server && <Alert className="sm:col-span-2">{errors.root.server.message}</Alert>}
        <Field label="Email" error={errors.email?.message} className="sm:col-span-2">
          {(p) => <Input {...p} {...register('email')} type="email" autoFocus autoComplete="off" maxLength={320} />}
        </Field>
        <Field label="First name" error={errors.firstName?.message}>
          {(p) => <Input {...p} {...register('firstName', blankIsUnset)} autoComplete="off" maxLength={200} />}
        </Field>
        <Field label="Last name" error={errors.lastName?.message}>
          {(p) => <Input {...p} {...register('lastName', blankIsUnset)} autoComplete="off" maxLength={200} />}
        </Field>
        <Field label="Company" error={errors.company?.message}>
          {(p) => <Input {...p} {...register('company', blankIsUnset)} autoComplete="off" maxLength={300} />}
        </Field>
        <Field label="Phone" error={errors.phone?.message}>
          {(p) => <Input {...p} {...register('phone', blankIsUnset)} type="tel" autoComplete="off" maxLength={50} />}
        </Field>
        <Field label="Status" error={errors.status?.message}>
          {(p) => <Input {...p} {...register('status')} autoComplete="off" maxLength={100} list="lead-statuses" />}
        </Field>
        {users && (
          <Field label="Owner" error={errors.ownerId?.message}>
            {(p) => (
              <Select {...p} {...register('ownerId', blankIsUnset)}>
                {users.map((u) => <option key={u.id} value={u.id}>{u.id === me.id ? `${u.name} (you)` : u.name}</option>)}
              </Select>
            )}
          </Field>
        )}
        <datalist id="lead-statuses">{COMMON_STATUSES.map((s) => <option key={s} value={s} />)}</datalist>
        <div className="sm:col-span-2">
          <DialogFooter>
            <DialogClose asChild><Button variant="secondary" disabled={isSubmitting}>Cancel</Button></DialogClose>
            <Button type="submit" variant="primary" loading={isSubmitting}>Create lead</Button>
          </DialogFooter>
        </div>
      </form>
    </Dialog>
  );
}

/** Statuses offered while typing (and in the list's filter); any other text is a status too. */
export const COMMON_STATUSES = ['New', 'Contacted', 'Qualified', 'Unqualified', 'Customer'];
