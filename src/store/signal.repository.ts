import type { Insertable } from 'kysely';
import type { Handle } from './database.ts';
import type { SignalTable } from './schema.ts';

export async function insertSignal(h: Handle, row: Insertable<SignalTable>): Promise<void> {
  await h.insertInto('signals').values(row).execute();
}
