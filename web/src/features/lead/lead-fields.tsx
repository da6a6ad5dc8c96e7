import { Pencil } from 'lucide-react';
import { useEffect, useMemo, useRef } from 'react';
import { useForm, type Path } from 'react-hook-form';
import type { Lead } from '@contract/leads.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { useUpdateLead } from '@/data/leads/index.ts';
import { cn } from '@/lib/cn.ts';
import { showServerErrors } from '@/lib/forms.ts';
import { customText, isEditableValue, leadPatchResolver, STANDARD_FIELDS, toFormValues, type LeadFieldValues } from './lead-fields-form.ts';
import { humanize } from './lead-format.ts';

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function show(value: string | null | undefined) {
  return value ? <span className="text-zinc-900">{value}</span> : <span className="text-zinc-500">—</span>;
}

/** The lead's fields, read: standard ones, then custom ones by name. */
function FieldsView({ lead, zoneFallback, compact }: { lead: Lead; zoneFallback?: string; compact?: boolean }) {
  const custom = Object.entries(lead.fields);
  return (
    <dl className={cn('grid grid-cols-1 gap-x-4 text-[13px] @xs:gap-y-1.5', compact ? '@xs:grid-cols-[6.5rem_1fr]' : '@xs:grid-cols-[8rem_1fr]')}>
      {STANDARD_FIELDS.map(({ name, label }) => (
        <div key={name} className="contents">
          <dt className="text-zinc-600">{label}</dt>
          <dd className="mb-1.5 min-w-0 truncate @xs:mb-0">
            {name === 'timezone' && !lead.timezone ? <span className="text-zinc-500">{zoneFallback ? `Workspace zone (${zoneFallback})` : 'Workspace zone'}</span> : show(lead[name])}
          </dd>
        </div>
      ))}
      {custom.length > 0 && <div className="mt-1 mb-1.5 border-t border-zinc-100 @xs:col-span-2 @xs:mb-0" aria-hidden="true" />}
      {custom.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="truncate text-zinc-600" title={key}>{humanize(key)}</dt>
          <dd className="mb-1.5 min-w-0 truncate @xs:mb-0">{show(customText(value))}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The same fields as a form; only changed fields are sent, and the server's errors land at their field. */
function FieldsForm({ lead, onDone }: { lead: Lead; onDone: () => void }) {
  const update = useUpdateLead(lead.id);
  const resolver = useMemo(() => leadPatchResolver(lead), [lead]);
  const form = useForm<LeadFieldValues, unknown, import('@contract/leads.ts').LeadPatch>({ resolver, defaultValues: toFormValues(lead) });
  const { register, formState: { errors, isSubmitting } } = form;
  const customKeys = Object.keys(lead.fields).filter((k) => isEditableValue(lead.fields[k]));
  const names = [...STANDARD_FIELDS.map((f) => f.name), ...customKeys.map((k) => `fields.${k}`)] as Path<LeadFieldValues>[];

  const submit = form.handleSubmit(async (patch) => {
    if (Object.keys(patch).length === 0) return onDone();
    try {
      await update.mutateAsync(patch);
      toast({ title: 'Lead saved' });
      onDone();
    } catch (error) {
      showServerErrors(error, form.setError, names);
    }
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3" aria-label="Edit lead fields" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onDone())}>
      {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
      <div className="grid grid-cols-1 gap-3 @md:grid-cols-2">
        {STANDARD_FIELDS.map(({ name, label }, i) => (
          <Field key={name} label={label} error={errors[name]?.message} hint={name === 'timezone' ? 'Empty: the workspace’s zone' : undefined}>
            {(p) => (
              <Input
                {...p}
                {...register(name)}
                autoFocus={i === 0}
                type={name === 'email' ? 'email' : name === 'phone' ? 'tel' : 'text'}
                list={name === 'timezone' ? 'lead-time-zones' : undefined}
                autoComplete="off"
              />
            )}
          </Field>
        ))}
        {customKeys.map((key) => (
          <Field key={key} label={humanize(key)} error={errors.fields?.[key]?.message}>
            {(p) => <Input {...p} {...register(`fields.${key}`)} autoComplete="off" />}
          </Field>
        ))}
      </div>
      <datalist id="lead-time-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" loading={isSubmitting}>Save</Button>
      </div>
    </form>
  );
}

/**
 * A lead's fields with inline edit (`PATCH /api/leads/:id`). Editing is controlled by
 * the caller, so a page can start it with `e`.
 */
export function LeadFields({ lead, editing, onEditingChange, zoneFallback, compact = false }: {
  lead: Lead;
  editing: boolean;
  onEditingChange: (editing: boolean) => void;
  /** The workspace's zone, shown when the lead has none. */
  zoneFallback?: string;
  compact?: boolean;
}) {
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);
  useEffect(() => {
    // Back from the form: focus where the edit began, not the top of the page.
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  return (
    <section aria-labelledby={`fields-${lead.id}`} className="@container flex flex-col gap-2">
      <div className="flex items-center justify-between gap-2">
        <h2 id={`fields-${lead.id}`} className="text-[13px] font-semibold text-zinc-900">Fields</h2>
        {!editing && (
          <Tooltip content="Edit fields" keys={compact ? undefined : ['E']}>
            <Button ref={editButton} size="sm" variant="ghost" onClick={() => onEditingChange(true)}><Pencil aria-hidden="true" />Edit</Button>
          </Tooltip>
        )}
      </div>
      {editing ? <FieldsForm lead={lead} onDone={() => onEditingChange(false)} /> : <FieldsView lead={lead} zoneFallback={zoneFallback} compact={compact} />}
    </section>
  );
}
