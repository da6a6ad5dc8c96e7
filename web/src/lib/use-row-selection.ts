import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Checkbox selection over a list of rows, as lists select: a click toggles one row, a
 * shift-click (or shift+x) selects or clears every row from the last one toggled (the
 * range takes that row's state), and rows that leave the list leave the selection.
 */
export function useRowSelection(ids: readonly string[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | undefined>(undefined);

  useEffect(() => {
    setSelected((s) => {
      const present = new Set(ids);
      const kept = new Set([...s].filter((id) => present.has(id)));
      return kept.size === s.size ? s : kept;
    });
  }, [ids]);

  const toggle = useCallback((id: string, range: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      const from = anchor.current ? ids.indexOf(anchor.current) : -1;
      const to = ids.indexOf(id);
      if (range && from >= 0 && to >= 0) {
        const on = s.has(anchor.current!);
        for (const rowId of ids.slice(Math.min(from, to), Math.max(from, to) + 1)) {
          if (on) next.add(rowId);
          else next.delete(rowId);
        }
      } else if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
    if (!range) anchor.current = id;
  }, [ids]);

  const toggleAll = useCallback((on: boolean) => setSelected(on ? new Set(ids) : new Set()), [ids]);
  const clear = useCallback(() => setSelected(new Set()), []);
  return { selected, toggle, toggleAll, clear };
}
