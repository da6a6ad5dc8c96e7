export { useImportLeads, useImportRehearsal, type ImportRequest } from './lead-import.mutations.ts';
export type { UploadProgress } from '@/api/upload.ts';
