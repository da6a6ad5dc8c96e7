import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Dialog } from '@/components/ui/dialog.tsx';
import { Kbd } from '@/components/ui/kbd.tsx';
import { keyLabels, ShortcutRegistry, type Shortcut } from './registry.ts';

const RegistryContext = createContext<{ registry: ShortcutRegistry; showList: () => void } | null>(null);

function useShortcutsContext() {
  const context = useContext(RegistryContext);
  if (!context) throw new Error('shortcuts need <ShortcutsProvider> above them');
  return context;
}

/** Opens the `?` list from a button or menu item. */
export const useShowShortcuts = () => useShortcutsContext().showList;

/**
 * Registers a shortcut while the calling component is mounted; the handler may change
 * every render (the latest one runs). Listed under `?` with its description.
 *
 *   useShortcut('j', 'Next task', () => select(next), { group: 'Today' });
 *   useShortcut('g t', 'Go to Today', () => navigate({ to: '/today' }), { group: 'Navigation' });
 */
export function useShortcut(keys: string, description: string, run: (event: KeyboardEvent) => void, options: Omit<Shortcut, 'keys' | 'description' | 'run'> & { enabled?: boolean } = {}): void {
  const { registry } = useShortcutsContext();
  const latest = useRef(run);
  latest.current = run;
  const { enabled = true, group, inDialog } = options;
  useEffect(() => {
    if (!enabled) return;
    return registry.register({ keys, description, group, inDialog, run: (e) => latest.current(e) });
  }, [registry, keys, description, group, inDialog, enabled]);
}

/** The document's one key listener, and the `?` dialog listing what is registered. */
export function ShortcutsProvider({ children, registry: given }: { children: ReactNode; registry?: ShortcutRegistry }) {
  const [registry] = useState(() => given ?? new ShortcutRegistry());
  const [open, setOpen] = useState(false);
  const [context] = useState(() => ({ registry, showList: () => setOpen(true) }));
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => registry.handle(event);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [registry]);
  useEffect(() => registry.register({ keys: '?', description: 'Show keyboard shortcuts', group: 'General', inDialog: true, run: () => setOpen((o) => !o) }), [registry]);
  return (
    <RegistryContext.Provider value={context}>
      {children}
      <ShortcutsDialog registry={registry} open={open} onOpenChange={setOpen} />
    </RegistryContext.Provider>
  );
}

function ShortcutsDialog({ registry, open, onOpenChange }: { registry: ShortcutRegistry; open: boolean; onOpenChange: (open: boolean) => void }) {
  const entries = useSyncExternalStore((l) => registry.subscribe(l), () => registry.list(), () => registry.list());
  // One row per action: keys that do the same (j and ↓) share it, "J or ↓".
  const groups = new Map<string, Array<{ id: number; description: string; keys: string[] }>>();
  for (const e of entries) {
    const group = e.group ?? 'General';
    const rows = groups.get(group) ?? [];
    const same = rows.find((r) => r.description === e.description);
    if (same) same.keys.push(e.keys);
    else rows.push({ id: e.id, description: e.description, keys: [e.keys] });
    groups.set(group, rows);
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" description="Keys work anywhere except while you type in a field.">
      <div className="flex flex-col gap-4 pb-1">
        {[...groups].map(([group, items]) => (
          <section key={group} aria-labelledby={`shortcuts-${group}`}>
            <h3 id={`shortcuts-${group}`} className="mb-1 text-[12px] font-medium tracking-wide text-zinc-500 uppercase">{group}</h3>
            <dl className="divide-y divide-zinc-100">
              {items.map((e) => (
                <div key={e.id} className="flex items-center justify-between gap-4 py-1.5 text-sm">
                  <dt className="text-zinc-800">{e.description}</dt>
                  <dd className="flex items-center gap-1 text-[12px] text-zinc-500">
                    {e.keys.map((keys, alt) => (
                      <span key={keys} className="flex items-center gap-1">
                        {alt > 0 && <span>or</span>}
                        {keyLabels(keys).map((chord, i) => (
                          <span key={i} className="flex items-center gap-1">
                            {i > 0 && <span>then</span>}
                            {chord.map((k) => <Kbd key={k}>{k}</Kbd>)}
                          </span>
                        ))}
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
