import { Wand2 } from 'lucide-react';
import { useContext, useId, useRef, type ComponentProps } from 'react';
import { useFormContext, useFormState, type FieldPath } from 'react-hook-form';
import { Input, Textarea } from '@/components/ui/input.tsx';
import { sentence } from '@/lib/text.ts';
import { Button } from '@/components/ui/button.tsx';
import type { BuilderValues } from './builder-model.ts';
import { insertAtCaret, MergeFieldPicker } from './merge-field-picker.tsx';
import { applyMergeFix, MergeFixesContext } from './merge-fixes.ts';

/** Reads a nested error (`steps.1.body`) from react-hook-form's errors. */
export function errorAt(errors: unknown, path: string): string | undefined {
  let at: unknown = errors;
  for (const part of path.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  const message = at && typeof at === 'object' ? (at as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : undefined;
}

/**
 * A template (subject, body, title, script) with its label, a merge-field picker that
 * inserts at the caret, and its error, client or server ("unknown merge field lead.frstName").
 * An empty box is `null` (not set), as the API answers it.
 */
export function TemplateField({ name, label, multiline = false, placeholder, hint, rows }: {
  name: FieldPath<BuilderValues>;
  label: string;
  multiline?: boolean;
  placeholder?: string;
  hint?: string;
  rows?: number;
}) {
  const id = useId();
  const { register, getValues, setValue, control, clearErrors } = useFormContext<BuilderValues>();
  const fix = useContext(MergeFixesContext).get(name);
  const { errors } = useFormState({ control, name });
  const error = errorAt(errors, name);
  const el = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const { ref, ...field } = register(name, { setValueAs: (v: unknown) => (v === '' ? null : v) });

  const insert = (tag: string) => {
    const current = String(getValues(name) ?? '');
    const { value, caret } = insertAtCaret(el.current, current, tag);
    setValue(name, value as never, { shouldDirty: true, shouldValidate: Boolean(error) });
    requestAnimationFrame(() => {
      el.current?.focus();
      el.current?.setSelectionRange(caret, caret);
    });
  };
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const control_ = {
    id,
    ...field,
    ref: (node: HTMLInputElement | HTMLTextAreaElement | null) => { ref(node); el.current = node; },
    placeholder,
    'aria-invalid': Boolean(error),
    'aria-describedby': describedBy,
    spellCheck: true,
  };
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={id} className="text-[13px] font-medium text-zinc-800">{label}</label>
        <MergeFieldPicker fieldLabel={label.toLowerCase()} onPick={insert} />
      </div>
      {multiline
        ? <Textarea {...(control_ as ComponentProps<'textarea'>)} rows={rows ?? 6} />
        : <Input {...(control_ as ComponentProps<'input'>)} autoComplete="off" />}
      {error && <p id={`${id}-error`} className="text-[13px] text-red-700">{sentence(error)}</p>}
      {error && fix && (
        <Button
          size="sm"
          className="self-start"
          onClick={() => {
            setValue(name, applyMergeFix(String(getValues(name) ?? ''), fix) as never, { shouldDirty: true });
            clearErrors(name);
            el.current?.focus();
          }}
        >
          <Wand2 aria-hidden="true" />Use {fix.suggestion} instead of {fix.field}
        </Button>
      )}
      {hint && !error && <p id={`${id}-hint`} className="text-[13px] text-zinc-600">{hint}</p>}
    </div>
  );
}
