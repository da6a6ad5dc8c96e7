import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from '@/api/api-error.ts';
import { sentence } from './text.ts';

/**
 * Shows a failed submit where it belongs: each server field error at its field (when
 * the form has that field), the rest as the form's own error (`errors.root.server`).
 * Returns the form-level message, if any.
 */
export function showServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fieldNames: ReadonlyArray<Path<T>>,
): string | null {
  if (!isApiError(error)) {
    const message = 'Something went wrong. Please try again.';
    setError('root.server', { type: 'server', message });
    return message;
  }
  const known = new Set<string>(fieldNames);
  let placed = 0;
  for (const [field, message] of Object.entries(error.fields)) {
    if (!known.has(field)) continue;
    setError(field as Path<T>, { type: 'server', message: sentence(message) }, { shouldFocus: placed === 0 });
    placed++;
  }
  if (placed > 0 && placed === Object.keys(error.fields).length) return null;
  setError('root.server', { type: 'server', message: error.message });
  return error.message;
}

/**
 * zod options for zodResolver: an empty required field says "Required" rather than
 * zod's "Too small: expected string to have >=1 characters". The contract's own
 * messages ("expected a password of at least 10 characters") still win.
 */
export const formErrorMessages = {
  error: (issue: { code?: string; minimum?: unknown; input?: unknown }) =>
    (issue.code === 'too_small' && issue.minimum === 1) || issue.input === undefined ? 'required' : undefined,
};
