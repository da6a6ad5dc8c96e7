import type { ReactNode } from 'react';
import { Alert } from './alert.tsx';
import { Button } from './button.tsx';
import { Dialog, DialogClose, DialogFooter } from './dialog.tsx';

/**
 * Asks before an action that changes things for others, saying what will happen, and
 * shows the server's refusal in place (the dialog stays open, nothing is half done):
 * `<ConfirmDialog open title="Archive Q4?" confirmLabel="Archive" onConfirm={…} pending error={…}>What happens</ConfirmDialog>`.
 */
export function ConfirmDialog({ open, onOpenChange, title, children, confirmLabel, tone = 'primary', onConfirm, pending = false, error }: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  /** The consequence, in a sentence or a short list. */
  children: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
  onConfirm: () => void;
  pending?: boolean;
  /** Why the last attempt failed. */
  error?: string | null;
}) {
  return (
    <Dialog open={open} onOpenChange={(next) => { if (!pending) onOpenChange(next); }} title={title}>
      <div className="flex flex-col gap-3 text-[13px] text-zinc-700">
        {children}
        {error && <Alert title="That did not work">{error}</Alert>}
      </div>
      <DialogFooter>
        <DialogClose asChild><Button variant="secondary" disabled={pending}>Cancel</Button></DialogClose>
        <Button variant={tone} onClick={onConfirm} loading={pending}>{confirmLabel}</Button>
      </DialogFooter>
    </Dialog>
  );
}
