import { zodResolver } from '@hookform/resolvers/zod';
import { Send } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { sendManualEmailInput, type ManualEmailDraft } from '@contract/manual-email.ts';
import type { TaskItem } from '@contract/tasks.ts';
import { isApiError } from '@/api/api-error.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Textarea } from '@/components/ui/input.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useDraft, useSendManualEmail } from '@/data/tasks/index.ts';
import { formErrorMessages, showServerErrors } from '@/lib/forms.ts';
import { fieldDescription, stillMissing, type MissingField } from './merge-fields.ts';

/** The rep's edits: the contract's send body, both parts present in the form. */
const editsSchema = sendManualEmailInput.unwrap().unwrap().required();
type Edits = { subject: string; body: string };

/**
 * A manual email step's draft, rendered for the lead, edited in place and sent from the
 * rep's mailbox. A merge field with no value blocks the send and is named; the block
 * lifts as the rep replaces it, and the server's 422 has the final word.
 */
export function ManualEmailForm({ task, onSent, bodyRef }: {
  task: TaskItem;
  /** After the send: the caller moves on to the next task. */
  onSent: (from: string) => void;
  /** `e` puts the cursor here. */
  bodyRef: React.RefObject<HTMLTextAreaElement | null>;
}) {
  const draft = useDraft(task.id);
  if (draft.isPending) return <div className="flex items-center gap-2 py-6 text-sm text-zinc-600"><Spinner label="Loading the draft" />Rendering the draft for this lead…</div>;
  if (draft.isError) {
    return (
      <Alert title="The draft cannot be shown">
        {draft.error.message} {isApiError(draft.error) && draft.error.status === 409 ? 'Skip this task, or reload the queue.' : ''}
      </Alert>
    );
  }
  return <DraftEditor key={task.id} task={task} draft={draft.data} onSent={onSent} bodyRef={bodyRef} />;
}

function DraftEditor({ task, draft, onSent, bodyRef }: { task: TaskItem; draft: ManualEmailDraft; onSent: (from: string) => void; bodyRef: React.RefObject<HTMLTextAreaElement | null> }) {
  const send = useSendManualEmail();
  const blockId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const { register, handleSubmit, control, setError, formState: { errors, isSubmitting, dirtyFields } } = useForm<Edits>({
    resolver: zodResolver(editsSchema, formErrorMessages),
    defaultValues: { subject: draft.subject, body: draft.body },
  });
  const [subject, body] = useWatch({ control, name: ['subject', 'body'] });
  // The server's list after a refused send (it may name fields the draft did not).
  const [serverMissing, setServerMissing] = useState<string[]>([]);
  const missing = stillMissing([...new Set([...draft.missing, ...serverMissing])], { subject, body });
  const blocked = missing.length > 0;

  const onSubmit = handleSubmit(async (values) => {
    if (blocked) return;
    // Only what the rep changed goes: left alone, the step's own template is sent.
    const edits = { ...(dirtyFields.subject ? { subject: values.subject } : {}), ...(dirtyFields.body ? { body: values.body } : {}) };
    try {
      const sent = await send.mutateAsync({ id: task.id, recordId: task.recordId, ...edits });
      onSent(sent.email.from);
    } catch (error) {
      const named = isApiError(error) && error.status === 422 ? missingOf(error.details) : null;
      if (named) {
        setServerMissing(named);
        // The fields may be printed where the re-check did not see them: say so anyway.
        if (stillMissing(named, values).length === 0) setError('root.server', { message: error instanceof Error ? error.message : String(error) });
        return;
      }
      showServerErrors(error, setError, ['subject', 'body']);
    }
  });

  // Ctrl/⌘+Enter sends from inside the fields too (the shortcut registry ignores keys while typing).
  // Esc leaves the field (a second Esc leaves focus mode).
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    } else if (e.key === 'Escape' && e.target instanceof HTMLElement && e.target.matches('input, textarea')) {
      e.preventDefault();
      e.target.blur();
    }
  };
  const { ref: bodyFieldRef, ...bodyField } = register('body');
  useEffect(() => () => { bodyRef.current = null; }, [bodyRef]);

  return (
    <form ref={formRef} id="manual-email-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate aria-label="Manual email" className="flex flex-col gap-3">
      <dl className="grid grid-cols-[3.5rem_1fr] gap-x-3 gap-y-1 text-[13px]">
        <dt className="text-zinc-600">From</dt><dd className="truncate text-zinc-900">{draft.from}</dd>
        <dt className="text-zinc-600">To</dt><dd className="truncate text-zinc-900">{draft.to}</dd>
        {draft.threaded && <><dt className="text-zinc-600">Thread</dt><dd className="text-zinc-700">Sent as a reply to the previous email of this cadence</dd></>}
      </dl>
      {errors.root?.server && <Alert>{errors.root.server.message}</Alert>}
      {blocked && <MissingBlock id={blockId} missing={missing} />}
      <Field label="Subject" error={errors.subject?.message}>
        {(p) => <Input {...p} {...register('subject')} />}
      </Field>
      <Field label="Body" error={errors.body?.message} hint={draft.format === 'html' ? 'HTML: the lead sees it formatted; links are tracked.' : undefined}>
        {(p) => (
          <Textarea
            {...p}
            {...bodyField}
            ref={(el) => { bodyFieldRef(el); bodyRef.current = el; }}
            rows={12}
            className={draft.format === 'html' ? 'font-mono text-[13px]' : undefined}
          />
        )}
      </Field>
      <div className="flex items-center justify-end gap-3">
        {blocked && <p className="text-[13px] text-red-700">Fill in {missing.length === 1 ? 'the merge field' : `${missing.length} merge fields`} to send.</p>}
        <Button type="submit" variant="primary" loading={isSubmitting} disabled={blocked} aria-describedby={blocked ? blockId : undefined} aria-keyshortcuts="Control+Enter Meta+Enter">
          <Send aria-hidden="true" />Send email<Kbd className="ml-1 border-white/40 bg-accent-700 text-white">{isMac() ? '⌘' : 'Ctrl'}</Kbd><Kbd className="border-white/40 bg-accent-700 text-white">Enter</Kbd>
        </Button>
      </div>
    </form>
  );
}

function MissingBlock({ id, missing }: { id: string; missing: MissingField[] }) {
  return (
    <div id={id} role="alert" className="rounded-md bg-red-50 px-3 py-2 text-[13px] text-red-800 ring-1 ring-inset ring-red-200">
      <p className="font-medium">
        {missing.length === 1 ? 'A merge field has' : `${missing.length} merge fields have`} no value for this lead, so the email cannot be sent as it is:
      </p>
      <ul className="mt-1 flex flex-col gap-0.5">
        {missing.map((m) => (
          <li key={m.field}>
            <code className="rounded bg-white/70 px-1 font-mono text-[12px]">{`{{ ${m.field} }}`}</code> ({fieldDescription(m.field)}) in the {m.in.join(' and the ')}
          </li>
        ))}
      </ul>
      <p className="mt-1">Replace each with text, or give it a fallback: <code className="font-mono text-[12px]">{`{{ ${missing[0]!.field} | fallback: "…" }}`}</code>.</p>
    </div>
  );
}

/** The fields a 422 names (`details.missing`). */
function missingOf(details: unknown): string[] | null {
  if (!details || typeof details !== 'object' || !Array.isArray((details as { missing?: unknown }).missing)) return null;
  return ((details as { missing: unknown[] }).missing).filter((f): f is string => typeof f === 'string');
}

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
