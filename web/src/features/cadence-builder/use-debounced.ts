import { useEffect, useState } from 'react';

/** `value` once it has stayed the same for `ms` (a live count or preview asks after typing stops). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- compared by content, not identity
  }, [key, ms]);
  return settled;
}
