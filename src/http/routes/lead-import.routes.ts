import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { CsvFileError, importLeads } from '../../app/lead-import.ts';
import { errors } from '../../contract/common.ts';
import { LEAD_IMPORT_LIMITS, leadImportQuery, leadImportReport } from '../../contract/lead-import.ts';
import { actorOf } from '../auth.ts';
import { sendError } from '../errors.ts';
import { formatBytes } from '../input-guard.ts';

const CSV_TYPES = ['text/csv', 'application/csv'];

/**
 * `POST /api/leads/import`: the CSV body is handed to the use case as a stream (the
 * parser below reads nothing), so a file is parsed as it arrives and an oversized one
 * is refused at its Content-Length, or at the limit while it streams, never held whole.
 */
export function leadImportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));

    app.post('/api/leads/import', {
      schema: {
        querystring: leadImportQuery,
        tags: ['leads'],
        description: `A CSV file (Content-Type: text/csv, UTF-8) with a header row, up to ${formatBytes(LEAD_IMPORT_LIMITS.bytes)} and ` +
          `${LEAD_IMPORT_LIMITS.rows.toLocaleString('en-US')} rows. Admins only. ?dryRun=true checks and previews without writing; ` +
          '?cadenceId= enrols the leads it created.',
        consumes: CSV_TYPES,
        response: { 201: leadImportReport, 200: leadImportReport.describe('A dry run: nothing was written'), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      // Only the query is JSON-like input; the file's text is checked row by row by the use case.
      config: { inputGuard: 'query-only' },
    }, async (req, reply) => {
      const body = req.body as unknown;
      if (!isStream(body)) {
        return sendError(reply, 415, 'unsupported_media_type', `the body must be a CSV file sent as Content-Type: text/csv, not ${req.headers['content-type'] ?? 'none'}`);
      }
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1];
      if (charset && !/^utf-?8$/i.test(charset)) {
        body.resume();
        return sendError(reply, 415, 'unsupported_encoding', `the file must be UTF-8 text, not ${charset}: save it as "CSV UTF-8" and import it again`);
      }
      const declared = Number(req.headers['content-length']);
      if (declared > LEAD_IMPORT_LIMITS.bytes) {
        return tooLarge(reply, `the file is ${formatBytes(declared)}: an import takes at most ${formatBytes(LEAD_IMPORT_LIMITS.bytes)}; split it into smaller files`);
      }
      try {
        const report = await importLeads(ctx, actorOf(req), body.iterator({ destroyOnReturn: false }), req.query);
        return reply.status(report.dryRun ? 200 : 201).send(report);
      } catch (e) {
        body.resume(); // the rest of a refused upload is read and dropped, so the answer reaches the client
        if (e instanceof CsvFileError) {
          if (e.kind === 'too_large') return tooLarge(reply, e.message);
          return sendError(reply, 415, 'unsupported_encoding', e.message);
        }
        throw e;
      }
    });
  };
}

function tooLarge(reply: Parameters<typeof sendError>[0], message: string) {
  reply.header('connection', 'close');
  return sendError(reply, 413, 'payload_too_large', message);
}

const isStream = (x: unknown): x is Readable => typeof (x as Readable | null)?.pipe === 'function' && typeof (x as Readable).iterator === 'function';
