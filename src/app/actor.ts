import { AppError, notFound } from './errors.ts';

/** Who is calling: an admin does everything, a rep only what it owns. */
export interface Actor {
  id: string;
  role: 'admin' | 'rep';
  name: string;
  email: string;
}

/** A rep that does not own a record is told it does not exist (existence is private). */
export function assertOwns(actor: Actor, ownerId: string | null, what: string, id: string): void {
  if (actor.role !== 'admin' && ownerId !== actor.id) throw notFound(what, id);
}

/** Admin-only actions: a rep is refused (403), the action being public knowledge. */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'this action needs an admin');
}
