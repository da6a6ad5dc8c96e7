import type { CadenceInput } from '../domain/cadence.ts';

/** The demo's fixed cast: names, companies and cadences (deterministic; only passwords are drawn at random). */

export interface DemoPerson {
  name: string;
  email: string;
  role: 'admin' | 'rep';
  timezone?: string;
}

export const DEMO_ADMIN: DemoPerson = { name: 'Avery Admin', email: 'admin@demo.cadenza.dev', role: 'admin' };
export const DEMO_REPS: DemoPerson[] = [
  { name: 'Riley Rep', email: 'riley@demo.cadenza.dev', role: 'rep', timezone: 'America/New_York' },
  { name: 'Sam Seller', email: 'sam@demo.cadenza.dev', role: 'rep', timezone: 'Europe/London' },
];

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis',
  'Radia', 'Linus', 'Hedy', 'John', 'Katherine', 'Tim', 'Sophie', 'Niklaus', 'Annie', 'Guido'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie',
  'Perlman', 'Torvalds', 'Lamarr', 'McCarthy', 'Johnson', 'Berners-Lee', 'Wilson', 'Wirth', 'Easley', 'Rossum'];
const COMPANIES = [
  ['Acme Corp', 'acme'], ['Globex', 'globex'], ['Initech', 'initech'], ['Umbrella', 'umbrella'], ['Hooli', 'hooli'],
  ['Stark Industries', 'stark'], ['Wayne Enterprises', 'wayne'], ['Soylent', 'soylent'], ['Tyrell', 'tyrell'], ['Cyberdyne', 'cyberdyne'],
] as const;
/** Each rep prospects in its own part of the world. */
const ZONES_BY_REP = [
  ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Toronto'],
  ['Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid'],
];

/** How many leads each rep owns. */
export const LEADS_PER_REP = 20;

export interface DemoLead {
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  phone: string;
  status: string;
  ownerId: string;
  timezone: string;
}

/** Rep `r`'s leads, the same every time: no two share a name or an address. */
export function demoLeads(r: number, ownerId: string): DemoLead[] {
  return Array.from({ length: LEADS_PER_REP }, (_, j) => {
    const i = r * LEADS_PER_REP + j;
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i + 3 * Math.floor(i / FIRST.length)) % LAST.length];
    const [company, domain] = COMPANIES[i % COMPANIES.length];
    return {
      email: `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${domain}.example.com`,
      firstName: first,
      lastName: last,
      company,
      phone: r === 0 ? `+1 555 01${String(j).padStart(2, '0')}` : `+44 20 7946 0${String(j).padStart(3, '0')}`,
      status: 'New',
      ownerId,
      timezone: ZONES_BY_REP[r][j % ZONES_BY_REP[r].length],
    };
  });
}

/**
 * The demo's cadences run every day around the clock, so that a demo opened on a
 * Sunday or at night has a day's work in it; a team's own cadence keeps the default
 * schedule (Monday to Friday, 09:00 to 17:00 in the lead's zone).
 */
const EVERY_DAY = { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' };

/** Hours between the first email and the call: the demo's history counts back from it. */
export const CALL_AFTER_HOURS = 48;
/** Hours between the research task's completion and the manual email. */
export const MANUAL_EMAIL_AFTER_HOURS = 24;

export const OUTBOUND: CadenceInput = {
  name: 'Outbound: new leads',
  schedule: EVERY_DAY,
  exitOn: { onReply: true, onMeeting: true, onConversion: true, fieldCriteria: [{ field: 'status', in: ['Qualified', 'Disqualified'] }], callOutcomes: ['not_interested'] },
  steps: [
    {
      type: 'email',
      subject: 'Quick question, {{lead.firstName | fallback: "there"}}',
      body: '<p>Hi {{lead.firstName | fallback: "there"}},</p>\n<p>Does {{lead.company | fallback: "your team"}} still plan its outreach by hand? '
        + 'Here is a <a href="https://www.example.com/cadenza/tour">two-minute tour</a> of how others stopped.</p>\n<p>{{owner.name}}</p>',
    },
    { type: 'call', delay: { amount: CALL_AFTER_HOURS, unit: 'hours' }, title: 'Call {{lead.fullName}}', instructions: 'Ask how they plan outreach today; offer a 20-minute demo.' },
    { type: 'email', delay: { amount: 3, unit: 'days' }, threadWithPrevious: true, body: 'Hi {{lead.firstName | fallback: "there"}}, following up on my note below.\n\n{{owner.name}}' },
    { type: 'task', delayDays: 2, title: 'Connect with {{lead.fullName}} on LinkedIn', priority: 'low' },
  ],
  boosts: [{ on: 'clicked', stepIndex: 0, action: { type: 'call', title: 'Hot lead: {{lead.fullName}} clicked your link', priority: 'high' } }],
};

export const REENGAGE: CadenceInput = {
  name: 'Re-engage: quiet leads',
  schedule: EVERY_DAY,
  steps: [
    { type: 'task', title: 'Research {{lead.company}}', instructions: 'Find a recent trigger event: funding, hiring, a launch.' },
    {
      type: 'email', mode: 'manual', delay: { amount: MANUAL_EMAIL_AFTER_HOURS, unit: 'hours' },
      subject: 'Idea for {{lead.company}}',
      body: 'Hi {{lead.firstName}},\n\nI saw the news at {{lead.company}}: congratulations. Teams at that stage often …\n\nWorth 15 minutes next week?\n\n{{owner.name}}',
    },
    { type: 'email', delayDays: 4, condition: { stepIndex: 1, is: 'not_replied' }, threadWithPrevious: true, body: 'Hi {{lead.firstName}}, shall we talk this week?\n\n{{owner.name}}' },
  ],
};
