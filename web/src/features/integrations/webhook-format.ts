import { WEBHOOK_EVENTS, WEBHOOK_MAX_ATTEMPTS, type WebhookEvent } from '@contract/enums.ts';
import type { WebhookDelivery, WebhookEndpoint } from '@contract/webhooks.ts';
import { formatWhen } from '@/features/admin-settings/settings-format.ts';

/** The events as the add-endpoint dialog groups them. */
export const EVENT_GROUPS: ReadonlyArray<{ label: string; events: readonly WebhookEvent[] }> = [
  { label: 'Enrolments', events: ['enrollment.created', 'enrollment.exited', 'enrollment.completed'] },
  { label: 'Emails', events: ['email.sent', 'email.opened', 'email.clicked', 'email.replied', 'email.bounced'] },
  { label: 'Leads', events: ['lead.unsubscribed'] },
  { label: 'Tasks', events: ['task.created', 'task.completed'] },
];

const EVENT_LABELS: Record<WebhookEvent, string> = {
  'enrollment.created': 'Enrolled',
  'enrollment.exited': 'Exited',
  'enrollment.completed': 'Completed',
  'email.sent': 'Sent',
  'email.opened': 'Opened',
  'email.clicked': 'Clicked',
  'email.replied': 'Replied',
  'email.bounced': 'Bounced',
  'lead.unsubscribed': 'Unsubscribed',
  'task.created': 'Created',
  'task.completed': 'Completed',
};

/** A checkbox's words for an event, inside its group ("Opened" under Emails). */
export const eventLabel = (event: WebhookEvent) => EVENT_LABELS[event];

export const isAllEvents = (events: readonly WebhookEvent[]) => WEBHOOK_EVENTS.every((e) => events.includes(e));

/** How many attempts a delivery gets before it is given up (the dispatcher's schedule, about 27 hours). */
export const MAX_ATTEMPTS = WEBHOOK_MAX_ATTEMPTS;

const REASONS: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  301: 'Moved Permanently', 302: 'Found', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Content Too Large', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

/** 410 → "410 Gone"; an unusual code stays a number. */
export const statusCodeText = (code: number) => (REASONS[code] ? `${code} ${REASONS[code]}` : String(code));

/** A span of time for people: "40 s", "29 min", "5 h", "27 h", "3 days". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** An endpoint's state in words: active, or why and since when it is disabled. */
export function endpointState(e: Pick<WebhookEndpoint, 'enabled' | 'disabledReason' | 'disabledAt'>): { text: string; tone: 'success' | 'danger' | 'warning' } {
  if (e.enabled) return { text: 'Active', tone: 'success' };
  const reason = e.disabledReason ?? 'disabled';
  const since = e.disabledAt ? ` on ${formatWhen(e.disabledAt)}` : '';
  return { text: `Disabled: ${reason}${since}`, tone: /410/.test(reason) ? 'danger' : 'warning' };
}

/**
 * Why a delivery is where it is, in a sentence: "Retrying in 29 min (attempt 3 of 8)",
 * "Gave up after 27 h", "Held: the endpoint is disabled (it answered 410 Gone on …)".
 */
export function deliveryStory(d: WebhookDelivery, endpoint: Pick<WebhookEndpoint, 'enabled' | 'disabledReason' | 'disabledAt'> | undefined, now: Date): string {
  const attempts = `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
  if (d.status === 'delivered') {
    return d.deliveredAt ? `Delivered ${formatWhen(d.deliveredAt)}${d.attempts > 1 ? ` after ${attempts}` : ''}` : 'Delivered';
  }
  if (d.status === 'failed') {
    if (d.lastStatusCode === 410) return `Gave up: the endpoint answered ${statusCodeText(410)}, so it was disabled`;
    const spent = d.lastAttemptAt ? Date.parse(d.lastAttemptAt) - Date.parse(d.createdAt) : 0;
    return spent >= 3_600_000 ? `Gave up after ${formatSpan(spent)} (${attempts})` : `Gave up after ${attempts}`;
  }
  if (endpoint && !endpoint.enabled) {
    const state = endpointState(endpoint).text.replace(/^Disabled: /, '');
    return `Held: the endpoint is disabled (${state}); it is sent once the endpoint is enabled again`;
  }
  const next = d.nextAttemptAt ? Date.parse(d.nextAttemptAt) - now.getTime() : 0;
  if (d.attempts === 0) return next > 1000 ? `Sending in ${formatSpan(next)}` : 'Sending now';
  // Past the schedule only when an admin asked for one more try.
  const attempt = d.attempts < MAX_ATTEMPTS ? `attempt ${d.attempts + 1} of ${MAX_ATTEMPTS}` : `attempt ${d.attempts + 1}, retried by hand`;
  return next > 1000 ? `Retrying in ${formatSpan(next)} (${attempt})` : `Retrying now (${attempt})`;
}
