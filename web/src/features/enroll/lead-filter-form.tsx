import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { enrollLeadFilter, type EnrollLeadFilter } from '@contract/cadences.ts';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { formErrorMessages } from '@/lib/forms.ts';

/** Blank fields are left out; at least one must say something. */
const form = z.object({ q: z.string().trim().max(200), status: z.string().trim().max(100) })
  .refine((f) => f.q !== '' || f.status !== '', { message: 'say which leads: a search, a status, or both', path: ['q'] });
type Form = z.infer<typeof form>;

/**
 * Which leads to enrol when the dialog was opened from a cadence (no selection given):
 * those matching a search (name, email, company) and/or a status, as the leads list
 * filters them. Checking them runs the preflight; nothing is enrolled yet.
 */
export function LeadFilterForm({ initial, onSubmit }: { initial?: EnrollLeadFilter; onSubmit: (filter: EnrollLeadFilter) => void }) {
  const { register, handleSubmit, formState: { errors } } = useForm<Form>({
    resolver: zodResolver(form, formErrorMessages),
    defaultValues: { q: initial?.q ?? '', status: initial?.status ?? '' },
  });
  const submit = handleSubmit(({ q, status }) => onSubmit(enrollLeadFilter.parse({ ...(q ? { q } : {}), ...(status ? { status } : {}) })));
  return (
    <form onSubmit={(e) => { e.stopPropagation(); void submit(e); }} noValidate aria-label="Which leads" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
        <Field label="Leads matching" error={errors.q?.message} hint="Name, email or company">
          {(p) => <Input {...p} {...register('q')} type="search" placeholder="e.g. acme.com" autoComplete="off" />}
        </Field>
        <Field label="With status" error={errors.status?.message}>
          {(p) => <Input {...p} {...register('status')} placeholder="e.g. New" autoComplete="off" />}
        </Field>
      </div>
      <div><Button type="submit">Check these leads</Button></div>
    </form>
  );
}
