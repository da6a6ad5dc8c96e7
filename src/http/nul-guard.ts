import type { FastifyInstance } from 'fastify';
import { AppError } from '../app/errors.ts';

/** The path of the first string holding a NUL character, which PostgreSQL text cannot store. */
function findNul(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}.${i}`);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const hit = findNul(key, `${path}.${key}`) ?? findNul(v, `${path}.${key}`);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * Refuses NUL characters in any JSON body with a 400 naming the field. Bulk lead
 * creation checks each record itself, so that one bad record rejects only itself.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.url.split('?')[0] === '/api/leads/bulk') return;
    const hit = findNul(request.body, 'body') ?? findNul(request.query, 'query');
    if (hit) throw new AppError('invalid_request', `${hit}: must not contain NUL characters`, [{ path: hit, message: 'must not contain NUL characters' }]);
  });
}
