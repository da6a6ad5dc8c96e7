import { zodResolver } from '@hookform/resolvers/zod';
import { useBlocker } from '@tanstack/react-router';
import { Eye, Pause, Play, Save } from 'lucide-react';
import { lazy, Suspense, useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { FormProvider, useForm, useFormState, useWatch, type FieldErrors } from 'react-hook-form';
import { cadenceDefinition, type Cadence } from '@contract/cadences.ts';
import { MODULES } from '@contract/enums.ts';
import { isApiError } from '@/api/api-error.ts';
import { useShortcut } from '@/app/shortcuts/shortcuts.tsx';
import { Alert } from '@/components/ui/alert.tsx';
import { Badge, type BadgeTone } from '@/components/ui/badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { Dialog, DialogFooter } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Select } from '@/components/ui/select.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/components/ui/toast.tsx';
import { Tooltip } from '@/components/ui/tooltip.tsx';
import { useCadenceAction, useSaveCadence } from '@/data/cadences/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { formPaths, stepIndexOf, toBuilderValues, type BuilderValues } from './builder-model.ts';
import { MergeFixesContext, mergeFixesOf, type MergeFix } from './merge-fixes.ts';
import { PreviewPanel } from './preview-panel.tsx';
import { StepList } from './step-list.tsx';

const BuilderSettings = lazy(() => import('./builder-settings.tsx').then((m) => ({ default: m.BuilderSettings })));

const STATUS_TONES: Record<Cadence['status'], BadgeTone> = { draft: 'neutral', active: 'success', paused: 'warning', archived: 'neutral' };

/** The house messages, and "enter a number" for an emptied number box (the browser gives NaN). */
const builderErrorMessages = {
  error: (issue: { code?: string; minimum?: unknown; input?: unknown }) =>
    (typeof issue.input === 'number' && Number.isNaN(issue.input) ? 'enter a number' : formErrorMessages.error(issue)),
};

/** The first error's path (`steps.2.body`), depth first in the form's order. */
function firstErrorPath(errors: unknown, prefix = ''): string | null {
  if (!errors || typeof errors !== 'object') return null;
  if ('message' in errors && typeof (errors as { message?: unknown }).message === 'string' && prefix) return prefix;
  for (const [k, v] of Object.entries(errors)) {
    if (k === 'ref' || k === 'root') continue;
    const found = firstErrorPath(v, prefix ? `${prefix}.${k}` : k);
    if (found) return found;
  }
  return null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export interface CadenceBuilderProps {
  cadence: Cadence & { enrollmentsByVersion: Record<string, number> };
  workingDays: readonly number[];
  previewLeadId: string | undefined;
  onPreviewLeadChange: (id: string | undefined) => void;
}

/**
 * The cadence builder: its steps and settings in one form that holds the cadence as
 * `GET` answers it and saves it with `PATCH` (Ctrl+S). Client checks are the contract's
 * schema; the server's (an unknown merge field, a condition on a later step) land at
 * their field, with the step opened. A live preview renders the unsaved edits.
 */
export function CadenceBuilder({ cadence, workingDays, previewLeadId, onPreviewLeadChange }: CadenceBuilderProps) {
  const form = useForm<BuilderValues>({
    resolver: zodResolver(cadenceDefinition, builderErrorMessages),
    defaultValues: toBuilderValues(cadence),
  });
  const { isDirty, isSubmitting, errors } = useFormState({ control: form.control });
  const name = useWatch({ control: form.control, name: 'name' });
  const save = useSaveCadence(cadence.id);
  const statusAction = useCadenceAction();
  const [open, setOpen] = useState<Set<string>>(() => new Set(cadence.steps.length <= 3 ? cadence.steps.slice(0, 1).map((s) => s.id) : []));
  const [said, setSaid] = useState('');
  const [fixes, setFixes] = useState<ReadonlyMap<string, MergeFix>>(new Map());
  const saving = useRef(false);

  const announce = useCallback((message: string) => setSaid(message), []);
  const toggle = useCallback((id: string, want?: boolean) => setOpen((o) => {
    const next = new Set(o);
    if (want ?? !next.has(id)) next.add(id);
    else next.delete(id);
    return next;
  }), []);
  /** Opens the steps that these form paths are in, at once, so their fields can take focus. */
  const openStepsAt = (paths: string[]) => {
    const steps = form.getValues('steps');
    const ids = paths.map(stepIndexOf).filter((i): i is number => i !== null).map((i) => steps[i]?.id).filter(Boolean) as string[];
    if (ids.length) flushSync(() => setOpen((o) => new Set([...o, ...ids])));
  };

  const running = Object.values(cadence.enrollmentsByVersion).reduce((a, b) => a + b, 0);
  const live = cadence.status === 'active' || cadence.status === 'paused';
  const archived = cadence.status === 'archived';

  const onValid = async (values: BuilderValues): Promise<boolean> => {
    saving.current = true;
    try {
      const saved = await save.mutateAsync(values);
      form.reset(toBuilderValues(saved));
      setFixes(new Map());
      const follow = saved.runningEnrollments > 0
        ? ` ${plural(saved.runningEnrollments, 'running enrolment')} follow${saved.runningEnrollments === 1 ? 's' : ''} it from their next step.`
        : '';
      const message = saved.version !== saved.previousVersion ? `Saved as version ${saved.version}.${follow}` : 'Saved.';
      setSaid(message);
      toast({ title: 'Cadence saved', description: message.replace(/^Saved\.?\s*/, '') || undefined });
      return true;
    } catch (error) {
      if (isApiError(error)) openStepsAt(Object.keys(error.fields));
      setFixes(mergeFixesOf(error));
      const left = showServerErrors(error, form.setError, formPaths(values) as never);
      setSaid(`Not saved: ${left ?? 'see the fields marked in red.'}`);
      return false;
    } finally {
      saving.current = false;
    }
  };
  const onInvalid = (errs: FieldErrors<BuilderValues>) => {
    openStepsAt(Object.keys(errs.steps ?? {}).map((i) => `steps.${i}`));
    const first = firstErrorPath(errs);
    if (first) {
      try { form.setFocus(first as never); } catch { /* a field without a focusable element */ }
    }
    setSaid('Not saved: fix the fields marked in red.');
  };
  const submit = () => new Promise<boolean>((resolve) => {
    if (archived) return resolve(false);
    void form.handleSubmit(async (v) => resolve(await onValid(v)), (e) => { onInvalid(e); resolve(false); })();
  });

  const changeStatus = async (action: 'activate' | 'pause') => {
    if (action === 'activate' && isDirty && !(await submit())) return;
    try {
      const c = await statusAction.mutateAsync({ id: cadence.id, action });
      const message = c.status === 'active' ? 'Cadence activated: its enrolments run.' : 'Cadence paused: no step runs until it is activated again.';
      setSaid(message);
      toast({ title: message });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      setSaid(`Could not ${action} the cadence: ${message}`);
      toast({ title: `Could not ${action} the cadence`, description: message, tone: 'error' });
    }
  };

  useShortcut('mod+s', 'Save the cadence', () => void submit(), { group: 'Cadence builder' });
  const onKeyDown = (e: KeyboardEvent) => {
    // Ctrl+S / ⌘S saves from inside any field too (shortcuts are otherwise off while typing).
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      void submit();
    }
  };

  const blocker = useBlocker({
    shouldBlockFn: ({ current, next }) => isDirty && !saving.current && current.pathname !== next.pathname,
    enableBeforeUnload: () => isDirty,
    withResolver: true,
  });

  return (
    <FormProvider {...form}>
      <MergeFixesContext value={fixes}>
        <div onKeyDown={onKeyDown} className="flex min-h-full flex-col">
          <PageHeader
            title={name?.trim() || cadence.name}
            description={
              <span className="inline-flex flex-wrap items-center gap-x-2">
                <Badge tone={STATUS_TONES[cadence.status]}>{cadence.status}</Badge>
                <span>Version {cadence.version}</span>
                {live && <span>· {plural(running, 'running enrolment')}</span>}
                {isDirty && <span className="font-medium text-amber-800">· Unsaved changes</span>}
              </span>
            }
            actions={
              <>
                <Button
                  className="xl:hidden"
                  onClick={() => {
                    document.getElementById('preview')?.scrollIntoView({ block: 'start' });
                    document.getElementById('preview-heading')?.focus();
                  }}
                >
                  <Eye aria-hidden="true" />Preview
                </Button>
                {cadence.status === 'active' && (
                  <Button onClick={() => void changeStatus('pause')} loading={statusAction.isPending}><Pause aria-hidden="true" />Pause</Button>
                )}
                {(cadence.status === 'draft' || cadence.status === 'paused') && (
                  <Tooltip content={isDirty ? 'Saves your changes, then activates' : 'Enrolments start running'}>
                    <Button onClick={() => void changeStatus('activate')} loading={statusAction.isPending}><Play aria-hidden="true" />{isDirty ? 'Save and activate' : 'Activate'}</Button>
                  </Tooltip>
                )}
                <Tooltip content="Save" keys={['Ctrl', 'S']}>
                  <Button variant="primary" onClick={() => void submit()} loading={isSubmitting} disabled={archived || (!isDirty && !isSubmitting)}>
                    <Save aria-hidden="true" />Save
                  </Button>
                </Tooltip>
              </>
            }
          />
          <p role="status" aria-live="polite" className="sr-only">{said}</p>
          <div className="grid flex-1 gap-4 p-3 sm:p-4 md:p-6 xl:grid-cols-[minmax(0,1fr)_24rem]">
            <form
              noValidate
              aria-label="Cadence"
              onSubmit={(e) => { e.preventDefault(); void submit(); }}
              className="flex min-w-0 flex-col gap-4"
            >
              {live && (
                <Alert tone="info" title={`This cadence is ${cadence.status}: saving makes version ${cadence.version + 1}.`}>
                  {running > 0
                    ? `Its ${plural(running, 'running enrolment')} follow the new version from their next step; removed steps are skipped, and what was already sent or done stays as it was.`
                    : 'Enrolments follow the new version from their next step; what was already sent or done stays as it was.'}
                </Alert>
              )}
              {archived && (
                <Alert tone="info" title="This cadence is archived and can no longer be edited.">
                  Its history and analytics stay. To run it again, clone it from the cadences list and edit the copy.
                </Alert>
              )}
              {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
              <fieldset disabled={archived} className="flex min-w-0 flex-col gap-4">
                <Card>
                  <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_12rem]">
                    <Field label="Name" error={errors.name?.message}>
                      {(p) => <Input {...p} {...form.register('name')} autoComplete="off" />}
                    </Field>
                    <Field label="Enrols" error={errors.module?.message}>
                      {(p) => (
                        <Select {...p} {...form.register('module')}>
                          {MODULES.map((m) => <option key={m} value={m}>{m === 'lead' ? 'Leads' : 'Contacts'}</option>)}
                        </Select>
                      )}
                    </Field>
                  </div>
                </Card>
                <StepList workingDays={workingDays} open={open} onToggle={toggle} announce={announce} />
                <Suspense fallback={<p className="flex items-center gap-2 py-4 text-[13px] text-zinc-600"><Spinner />Loading the settings…</p>}>
                  <BuilderSettings />
                </Suspense>
                <div className="flex justify-end gap-2 pb-4">
                  <Button type="submit" variant="primary" loading={isSubmitting} disabled={!isDirty && !isSubmitting}><Save aria-hidden="true" />Save</Button>
                </div>
              </fieldset>
            </form>
            <aside id="preview" aria-label="Preview" className="min-w-0 xl:sticky xl:top-4 xl:max-h-[calc(100vh-2rem)] xl:self-start xl:overflow-y-auto">
              <PreviewPanel cadenceId={cadence.id} leadId={previewLeadId} onLeadChange={onPreviewLeadChange} workingDays={workingDays} />
            </aside>
          </div>
        </div>
        <Dialog
          open={blocker.status === 'blocked'}
          onOpenChange={(o) => { if (!o) blocker.reset?.(); }}
          title="Leave without saving?"
        >
          <p className="text-[13px] text-zinc-700">Your changes to this cadence are not saved; leaving drops them.</p>
          <DialogFooter>
            <Button onClick={() => blocker.reset?.()}>Stay</Button>
            <Button variant="danger" onClick={() => blocker.proceed?.()}>Leave without saving</Button>
          </DialogFooter>
        </Dialog>
      </MergeFixesContext>
    </FormProvider>
  );
}
