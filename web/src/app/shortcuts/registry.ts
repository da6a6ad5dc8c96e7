/**
 * Keyboard shortcuts: pages register what a key does and a description; one listener
 * on the document runs them; `?` lists them. No React here, so it is tested alone.
 *
 * Keys: a single key as `KeyboardEvent.key` names it (`j`, `?`, `Enter`, `ArrowDown`),
 * optionally with modifiers (`mod+k`: ⌘ on a Mac, Ctrl elsewhere; `shift+Enter`), or a
 * two-key sequence (`g t`: g, then t within SEQUENCE_MS).
 */
export interface Shortcut {
  keys: string;
  description: string;
  /** Heading under `?` ("Navigation", "Focus mode"); "General" when not given. */
  group?: string;
  run: (event: KeyboardEvent) => void;
  /** Also runs while focus is inside a dialog (default: only outside one). */
  inDialog?: boolean;
}

export interface ShortcutEntry extends Shortcut {
  id: number;
}

const SEQUENCE_MS = 1200;

/** Focus in a text field: keys are typing, not commands. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  return target.closest('[contenteditable=""], [contenteditable="true"], [role="textbox"]') !== null;
}

const insideDialog = (target: EventTarget | null) =>
  target instanceof Element && target.closest('[role="dialog"], [role="alertdialog"]') !== null;

const MODIFIERS = ['mod', 'ctrl', 'meta', 'alt', 'shift'] as const;

/** Whether one chord (`j`, `mod+k`, `shift+Enter`) is this event. */
function matchesChord(chord: string, event: KeyboardEvent, isMac: boolean): boolean {
  const parts = chord.split('+');
  const key = parts.pop()!;
  const wanted = new Set(parts.map((p) => p.toLowerCase()));
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (wanted.has('mod') !== mod) return false;
  if (!wanted.has('mod') && (event.ctrlKey || event.metaKey) !== (wanted.has('ctrl') || wanted.has('meta'))) return false;
  if (wanted.has('alt') !== event.altKey) return false;
  // A symbol names its shifted self (`?` is shift+/), so shift counts for letters and named keys only.
  if ((key.length > 1 || /^[a-z]$/i.test(key)) && wanted.has('shift') !== event.shiftKey) return false;
  return key.length === 1 ? event.key.toLowerCase() === key.toLowerCase() : event.key === key;
}

export class ShortcutRegistry {
  private entries: ShortcutEntry[] = [];
  private nextId = 1;
  private listeners = new Set<() => void>();
  private pending: { first: string; at: number } | null = null;
  private snapshot: ShortcutEntry[] = [];

  constructor(private readonly isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)) {}

  /** Adds a shortcut; returns its removal (a page unmounting). The latest registration of a key wins. */
  register(shortcut: Shortcut): () => void {
    for (const chord of shortcut.keys.split(' ')) {
      const key = chord.split('+').pop();
      const bad = chord.split('+').slice(0, -1).find((m) => !MODIFIERS.includes(m.toLowerCase() as (typeof MODIFIERS)[number]));
      if (!key || bad) throw new Error(`shortcut "${shortcut.keys}": "${chord}" is not a key`);
    }
    const entry = { ...shortcut, id: this.nextId++ };
    this.entries = [...this.entries, entry];
    this.changed();
    return () => {
      this.entries = this.entries.filter((e) => e.id !== entry.id);
      this.changed();
    };
  }

  /** What `?` lists: one row per key (the one that runs), in registration order. */
  list(): ShortcutEntry[] {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the shortcut this key press means, if any; true when one ran (the event is then prevented). */
  handle(event: KeyboardEvent, now = Date.now()): boolean {
    if (event.defaultPrevented || event.isComposing) return false;
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return false;
    if (isTyping(event.target)) {
      this.pending = null;
      return false;
    }
    const dialog = insideDialog(event.target);
    const candidates = [...this.entries].reverse().filter((e) => !dialog || e.inDialog);
    const pending = this.pending && now - this.pending.at <= SEQUENCE_MS ? this.pending.first : null;
    this.pending = null;
    if (pending) {
      const second = candidates.find((e) => {
        const [first, next] = e.keys.split(' ');
        return next !== undefined && first === pending && matchesChord(next, event, this.isMac);
      });
      if (second) return this.fire(second, event);
    }
    const single = candidates.find((e) => !e.keys.includes(' ') && matchesChord(e.keys, event, this.isMac));
    if (single) return this.fire(single, event);
    const starts = candidates.find((e) => e.keys.includes(' ') && matchesChord(e.keys.split(' ')[0], event, this.isMac));
    if (starts) this.pending = { first: starts.keys.split(' ')[0], at: now };
    return false;
  }

  private fire(entry: ShortcutEntry, event: KeyboardEvent): boolean {
    event.preventDefault();
    entry.run(event);
    return true;
  }

  private changed() {
    const seen = new Set<string>();
    // Latest registration of a key wins; list in first-registered order for a stable dialog.
    const winners = [...this.entries].reverse().filter((e) => (seen.has(e.keys) ? false : (seen.add(e.keys), true)));
    this.snapshot = this.entries.filter((e) => winners.includes(e));
    this.listeners.forEach((l) => l());
  }
}

/** `g t` → ['G', 'then', 'T']; `mod+k` → ['⌘', 'K'] on a Mac, ['Ctrl', 'K'] elsewhere. */
export function keyLabels(keys: string, isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)): string[][] {
  const names: Record<string, string> = {
    mod: isMac ? '⌘' : 'Ctrl', ctrl: 'Ctrl', meta: isMac ? '⌘' : 'Meta', alt: isMac ? '⌥' : 'Alt', shift: 'Shift',
    arrowup: '↑', arrowdown: '↓', arrowleft: '←', arrowright: '→', enter: 'Enter', escape: 'Esc', ' ': 'Space',
  };
  return keys.split(' ').map((chord) => chord.split('+').map((k) => names[k.toLowerCase()] ?? (k.length === 1 ? k.toUpperCase() : k)));
}
