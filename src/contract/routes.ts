import { z } from 'zod';
import { cadenceAnalytics, statsLeads, statsLeadsQuery, statsQuery } from './analytics.ts';
import {
  autoEnrollMatches, autoEnrollMatchesBody, cadence, cadenceInput, cadenceList, cadencePatch, cadencePatched, cadenceWithVersions,
  enrollBody, enrollResult, preflightBody, preflightResult, previewBody, previewResult,
} from './cadences.ts';
import { idParams, noContent } from './common.ts';
import { emailList, emailQuery } from './emails.ts';
import { enrollment, enrollmentList, enrollmentQuery, enrollmentWithHistory } from './enrollments.ts';
import { leadImportQuery, leadImportReport } from './lead-import.ts';
import { bulkLeadsBody, bulkLeadsResult, lead, leadInput, leadList, leadListQuery, leadPatch } from './leads.ts';
import { mailboxOverviewList, testEmailInput, testEmailResult } from './mailbox-health.ts';
import { manualEmailDraft, sendManualEmailInput, sentManualEmail } from './manual-email.ts';
import { mergeFieldList } from './merge-fields.ts';
import { clockAnswer, clockInput, health, outboxList, outboxQuery } from './ops.ts';
import { holidayList, holidayParams, holidaysInput, organization, organizationPatch } from './organization.ts';
import { loginInput, passwordChange, sessionAnswer, setupInput, setupStatus } from './sessions.ts';
import { inboundResult, signalAccepted, signalInput } from './signals.ts';
import { taskBulkInput, taskBulkResult } from './task-bulk.ts';
import { completeTaskInput, reassignTaskInput, skipTaskInput, snoozeTaskInput, task, taskList, taskQuery } from './tasks.ts';
import { timeline, timelineQuery } from './timeline.ts';
import { acceptInvitation, deactivated, deactivateInput, invitationParams, invitationView } from './user-admin.ts';
import {
  createdUser, invitationLink, issuedToken, mailbox, mailboxInput, timeOff, timeOffInput, timeOffList, user, userInput, userList, userPatch,
} from './users.ts';
import {
  bookingResult, deliveriesQuery, deliveryParams, integration, integrationInput, integrationList, providerParams, webhookCreated, webhookDelivery, webhookDeliveryList,
  webhookEndpoint, webhookInput, webhookList, webhookPatch,
} from './webhooks.ts';

/**
 * Every /api route as data: its method and path and the contract schemas of its path
 * parameters, query, body and success answers. The typed client (src/client) is generic
 * over this map; test/api/client-routes.test.ts checks it against the routes the server
 * registers, so the two cannot drift apart.
 */
export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify's syntax: `/api/leads/:id`. */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body. */
  body?: z.ZodType;
  /** A body that is not JSON, sent as is with this content type (a CSV file, a raw message). */
  rawBody?: string;
  /** The success answers by status: JSON, or text when `text` is set. */
  responses: Readonly<Record<number, z.ZodType>>;
  /** The answer is text (CSV), not JSON. */
  text?: true;
}

const timeOffParams = z.object({ id: z.string(), timeOffId: z.string() });

// `satisfies` keeps each entry's literal types (the client's argument and answer types come from them).
export const routes = {
  meta: {
    health: { method: 'GET', path: '/api/health', responses: { 200: health } },
  },
  setup: {
    status: { method: 'GET', path: '/api/setup', responses: { 200: setupStatus } },
    create: { method: 'POST', path: '/api/setup', body: setupInput, responses: { 201: sessionAnswer } },
  },
  session: {
    login: { method: 'POST', path: '/api/session', body: loginInput, responses: { 200: sessionAnswer } },
    logout: { method: 'DELETE', path: '/api/session', responses: { 204: noContent } },
  },
  users: {
    create: { method: 'POST', path: '/api/users', body: userInput, responses: { 201: createdUser } },
    list: { method: 'GET', path: '/api/users', responses: { 200: userList } },
    me: { method: 'GET', path: '/api/users/me', responses: { 200: user } },
    get: { method: 'GET', path: '/api/users/:id', params: idParams, responses: { 200: user } },
    patch: { method: 'PATCH', path: '/api/users/:id', params: idParams, body: userPatch, responses: { 200: user } },
    changePassword: { method: 'PUT', path: '/api/users/me/password', body: passwordChange, responses: { 204: noContent } },
    issueToken: { method: 'POST', path: '/api/users/:id/tokens', params: idParams, responses: { 201: issuedToken } },
    getMailbox: { method: 'GET', path: '/api/users/:id/mailbox', params: idParams, responses: { 200: mailbox } },
    putMailbox: { method: 'PUT', path: '/api/users/:id/mailbox', params: idParams, body: mailboxInput, responses: { 200: mailbox } },
    testMailbox: { method: 'POST', path: '/api/users/:id/mailbox/test', params: idParams, body: testEmailInput.nullish(), responses: { 200: testEmailResult } },
    addTimeOff: { method: 'POST', path: '/api/users/:id/time-off', params: idParams, body: timeOffInput, responses: { 201: timeOff } },
    listTimeOff: { method: 'GET', path: '/api/users/:id/time-off', params: idParams, responses: { 200: timeOffList } },
    removeTimeOff: { method: 'DELETE', path: '/api/users/:id/time-off/:timeOffId', params: timeOffParams, responses: { 204: noContent } },
    reinvite: { method: 'POST', path: '/api/users/:id/invitation', params: idParams, responses: { 201: invitationLink } },
    deactivate: { method: 'POST', path: '/api/users/:id/deactivate', params: idParams, body: deactivateInput.nullish(), responses: { 200: deactivated } },
    reactivate: { method: 'POST', path: '/api/users/:id/reactivate', params: idParams, responses: { 200: user } },
  },
  invitations: {
    get: { method: 'GET', path: '/api/invitations/:token', params: invitationParams, responses: { 200: invitationView } },
    accept: { method: 'POST', path: '/api/invitations/:token', params: invitationParams, body: acceptInvitation, responses: { 200: sessionAnswer } },
  },
  mailboxes: {
    list: { method: 'GET', path: '/api/mailboxes', responses: { 200: mailboxOverviewList } },
  },
  leads: {
    create: { method: 'POST', path: '/api/leads', body: leadInput, responses: { 201: lead } },
    bulk: { method: 'POST', path: '/api/leads/bulk', body: bulkLeadsBody, responses: { 201: bulkLeadsResult } },
    list: { method: 'GET', path: '/api/leads', query: leadListQuery, responses: { 200: leadList } },
    get: { method: 'GET', path: '/api/leads/:id', params: idParams, responses: { 200: lead } },
    patch: { method: 'PATCH', path: '/api/leads/:id', params: idParams, body: leadPatch, responses: { 200: lead } },
    delete: { method: 'DELETE', path: '/api/leads/:id', params: idParams, responses: { 204: noContent } },
    convert: { method: 'POST', path: '/api/leads/:id/convert', params: idParams, responses: { 200: lead } },
    timeline: { method: 'GET', path: '/api/leads/:id/timeline', params: idParams, query: timelineQuery, responses: { 200: timeline } },
    /** A CSV file; `200` for a dry run, `201` when written. */
    import: { method: 'POST', path: '/api/leads/import', query: leadImportQuery, rawBody: 'text/csv', responses: { 200: leadImportReport, 201: leadImportReport } },
  },
  cadences: {
    create: { method: 'POST', path: '/api/cadences', body: cadenceInput, responses: { 201: cadence } },
    list: { method: 'GET', path: '/api/cadences', responses: { 200: cadenceList } },
    get: { method: 'GET', path: '/api/cadences/:id', params: idParams, responses: { 200: cadenceWithVersions } },
    patch: { method: 'PATCH', path: '/api/cadences/:id', params: idParams, body: cadencePatch, responses: { 200: cadencePatched } },
    delete: { method: 'DELETE', path: '/api/cadences/:id', params: idParams, responses: { 204: noContent } },
    clone: { method: 'POST', path: '/api/cadences/:id/clone', params: idParams, responses: { 201: cadence } },
    preview: { method: 'POST', path: '/api/cadences/:id/preview', params: idParams, body: previewBody, responses: { 200: previewResult } },
    activate: { method: 'POST', path: '/api/cadences/:id/activate', params: idParams, responses: { 200: cadence } },
    pause: { method: 'POST', path: '/api/cadences/:id/pause', params: idParams, responses: { 200: cadence } },
    archive: { method: 'POST', path: '/api/cadences/:id/archive', params: idParams, responses: { 200: cadence } },
    enroll: { method: 'POST', path: '/api/cadences/:id/enrollments', params: idParams, body: enrollBody, responses: { 201: enrollResult } },
    preflight: { method: 'POST', path: '/api/cadences/:id/enrollments/preflight', params: idParams, body: preflightBody, responses: { 200: preflightResult } },
    autoEnrollMatches: { method: 'POST', path: '/api/cadences/auto-enroll/matches', body: autoEnrollMatchesBody, responses: { 200: autoEnrollMatches } },
    stats: { method: 'GET', path: '/api/cadences/:id/stats', params: idParams, query: statsQuery, responses: { 200: cadenceAnalytics } },
    statsExport: { method: 'GET', path: '/api/cadences/:id/stats/export', params: idParams, query: statsQuery, responses: { 200: z.string() }, text: true },
    statsLeads: { method: 'GET', path: '/api/cadences/:id/stats/leads', params: idParams, query: statsLeadsQuery, responses: { 200: statsLeads } },
  },
  mergeFields: {
    list: { method: 'GET', path: '/api/merge-fields', responses: { 200: mergeFieldList } },
  },
  enrollments: {
    list: { method: 'GET', path: '/api/enrollments', query: enrollmentQuery, responses: { 200: enrollmentList } },
    get: { method: 'GET', path: '/api/enrollments/:id', params: idParams, responses: { 200: enrollmentWithHistory } },
    pause: { method: 'POST', path: '/api/enrollments/:id/pause', params: idParams, responses: { 200: enrollment } },
    resume: { method: 'POST', path: '/api/enrollments/:id/resume', params: idParams, responses: { 200: enrollment } },
    exit: { method: 'POST', path: '/api/enrollments/:id/exit', params: idParams, responses: { 200: enrollment } },
  },
  tasks: {
    list: { method: 'GET', path: '/api/tasks', query: taskQuery, responses: { 200: taskList } },
    complete: { method: 'POST', path: '/api/tasks/:id/complete', params: idParams, body: completeTaskInput, responses: { 200: task } },
    skip: { method: 'POST', path: '/api/tasks/:id/skip', params: idParams, body: skipTaskInput, responses: { 200: task } },
    snooze: { method: 'POST', path: '/api/tasks/:id/snooze', params: idParams, body: snoozeTaskInput, responses: { 200: task } },
    reassign: { method: 'POST', path: '/api/tasks/:id/reassign', params: idParams, body: reassignTaskInput, responses: { 200: task } },
    draft: { method: 'GET', path: '/api/tasks/:id/draft', params: idParams, responses: { 200: manualEmailDraft } },
    send: { method: 'POST', path: '/api/tasks/:id/send', params: idParams, body: sendManualEmailInput, responses: { 200: sentManualEmail } },
    bulk: { method: 'POST', path: '/api/tasks/bulk', body: taskBulkInput, responses: { 200: taskBulkResult } },
  },
  emails: {
    list: { method: 'GET', path: '/api/emails', query: emailQuery, responses: { 200: emailList } },
  },
  signals: {
    create: { method: 'POST', path: '/api/signals', body: signalInput, responses: { 202: signalAccepted } },
  },
  inbound: {
    /** A raw RFC 5322 message. */
    email: { method: 'POST', path: '/api/inbound/email', rawBody: 'message/rfc822', responses: { 202: inboundResult } },
  },
  organization: {
    get: { method: 'GET', path: '/api/organization', responses: { 200: organization } },
    patch: { method: 'PATCH', path: '/api/organization', body: organizationPatch, responses: { 200: organization } },
  },
  holidays: {
    list: { method: 'GET', path: '/api/holidays', responses: { 200: holidayList } },
    add: { method: 'POST', path: '/api/holidays', body: holidaysInput, responses: { 201: holidayList } },
    remove: { method: 'DELETE', path: '/api/holidays/:date', params: holidayParams, responses: { 200: holidayList } },
  },
  webhooks: {
    create: { method: 'POST', path: '/api/webhooks', body: webhookInput, responses: { 201: webhookCreated } },
    list: { method: 'GET', path: '/api/webhooks', responses: { 200: webhookList } },
    get: { method: 'GET', path: '/api/webhooks/:id', params: idParams, responses: { 200: webhookEndpoint } },
    patch: { method: 'PATCH', path: '/api/webhooks/:id', params: idParams, body: webhookPatch, responses: { 200: webhookEndpoint } },
    delete: { method: 'DELETE', path: '/api/webhooks/:id', params: idParams, responses: { 204: noContent } },
    rotateSecret: { method: 'POST', path: '/api/webhooks/:id/rotate-secret', params: idParams, responses: { 200: webhookCreated } },
    deliveries: { method: 'GET', path: '/api/webhooks/:id/deliveries', params: idParams, query: deliveriesQuery, responses: { 200: webhookDeliveryList } },
    retry: { method: 'POST', path: '/api/webhooks/:id/deliveries/:deliveryId/retry', params: deliveryParams, responses: { 202: webhookDelivery } },
  },
  integrations: {
    list: { method: 'GET', path: '/api/integrations', responses: { 200: integrationList } },
    put: { method: 'PUT', path: '/api/integrations/:provider', params: providerParams, body: integrationInput, responses: { 200: integration } },
    delete: { method: 'DELETE', path: '/api/integrations/:provider', params: providerParams, responses: { 204: noContent } },
    /** The providers' own booking webhooks: a raw JSON body, its signature in a header. */
    calcom: { method: 'POST', path: '/api/integrations/calcom', rawBody: 'application/json', responses: { 200: bookingResult } },
    calendly: { method: 'POST', path: '/api/integrations/calendly', rawBody: 'application/json', responses: { 200: bookingResult } },
  },
  dev: {
    /** Only with CADENZA_CLOCK=manual. */
    clock: { method: 'POST', path: '/api/dev/clock', body: clockInput, responses: { 200: clockAnswer } },
    outbox: { method: 'GET', path: '/api/dev/outbox', query: outboxQuery, responses: { 200: outboxList } },
  },
} as const satisfies Record<string, Record<string, RouteDef>>;

export type Routes = typeof routes;
