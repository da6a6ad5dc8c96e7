import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { cadenceInput, type CadenceInput } from '@contract/cadences.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Dialog, DialogClose, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { useCreateCadence } from '@/data/cadences/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';

const nameOnly = cadenceInput.pick({ name: true });
type NameOnly = Pick<CadenceInput, 'name'>;

/**
 * A new cadence starts as a draft with one email, which the builder then opens: a draft
 * sends nothing, so the admin can shape it before activating it.
 */
export const FIRST_STEP: CadenceInput['steps'][number] = {
  type: 'email',
  mode: 'auto',
  subject: 'Quick question, {{lead.firstName | fallback: "there"}}',
  body: 'Hi {{lead.firstName | fallback: "there"}},\n\n',
};

export function NewCadenceDialog({ open, onOpenChange, onCreated }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: (id: string) => void;
}) {
  const create = useCreateCadence();
  const { register, handleSubmit, setError, reset, formState: { errors, isSubmitting } } = useForm<NameOnly>({
    resolver: zodResolver(nameOnly, formErrorMessages),
    defaultValues: { name: '' },
  });
  const onSubmit = handleSubmit(async ({ name }) => {
    try {
      const draft = await create.mutateAsync({ name, steps: [FIRST_STEP] });
      reset();
      onCreated(draft.id);
    } catch (error) {
      showServerErrors(error, setError, ['name']);
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => { if (!isSubmitting) onOpenChange(next); }}
      title="New cadence"
      description="It starts as a draft with one email: nothing is sent until you activate it."
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3" aria-label="New cadence">
        {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
        <Field label="Name" error={errors.name?.message} hint="What your team will see in their task list, e.g. “Inbound demo request”.">
          {(p) => <Input {...p} {...register('name')} autoFocus autoComplete="off" maxLength={200} />}
        </Field>
        <DialogFooter>
          <DialogClose asChild><Button variant="secondary" disabled={isSubmitting}>Cancel</Button></DialogClose>
          <Button type="submit" variant="primary" loading={isSubmitting}>Create and edit steps</Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
