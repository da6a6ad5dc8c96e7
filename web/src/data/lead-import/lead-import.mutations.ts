import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { leadImportReport } from '@contract/lead-import.ts';
import { uploadFile, type UploadProgress } from '@/api/upload.ts';

export interface ImportRequest {
  file: File;
  /** Reads and checks the file, writes nothing: the report with the column mapping and a preview. */
  dryRun: boolean;
  cadenceId?: string;
  onProgress?: (p: UploadProgress) => void;
}

/**
 * `POST /api/leads/import` with the file as it is (text/csv). A dry run changes nothing;
 * a real import refreshes every read of leads and cadences (counts, enrolments). The page
 * shows errors itself (a 400 or 415 says what is wrong with the file), so no toast.
 */
export function useImportLeads() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { quietErrors: true },
    mutationFn: ({ file, dryRun, cadenceId, onProgress }: ImportRequest) =>
      uploadFile('/api/leads/import', file, {
        contentType: 'text/csv',
        query: { dryRun: dryRun ? 'true' : undefined, cadenceId },
        schema: leadImportReport,
        onProgress,
      }),
    onSuccess: async (_report, { dryRun }) => {
      if (!dryRun) await Promise.all([queryClient.invalidateQueries({ queryKey: ['leads'] }), queryClient.invalidateQueries({ queryKey: ['cadences'] })]);
    },
  });
}

/**
 * A dry run of the file with a cadence: who the import would enrol, hold back or refuse,
 * and why (the server enrols in a transaction it rolls back). Asked again when the
 * cadence changes; kept while the page shows the same file.
 */
export function useImportRehearsal(file: File, cadenceId: string | undefined) {
  return useQuery({
    queryKey: ['lead-import', 'rehearsal', file.name, file.size, file.lastModified, cadenceId],
    queryFn: () => uploadFile('/api/leads/import', file, {
      contentType: 'text/csv', query: { dryRun: 'true', cadenceId }, schema: leadImportReport,
    }),
    enabled: cadenceId !== undefined,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}
