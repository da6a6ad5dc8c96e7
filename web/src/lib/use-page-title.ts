import { useEffect } from 'react';

/** The tab's title for this page: "Today · Cadenza". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Cadenza` : 'Cadenza';
  }, [title]);
}
