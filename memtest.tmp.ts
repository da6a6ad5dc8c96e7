import { drainWith } from './bench/processes.ts';
import { seedEnrollments, workspace } from './bench/seed.ts';
const url = 'postgres://postgres@127.0.0.1:5432/test';
for (const opts of ['', '--max-old-space-size=128']) {
  const w = await workspace({ url }, [{ type: 'task', title: 'Research {{lead.firstName}}' }]);
  await seedEnrollments(w, 20000, new Date(Date.now() - 60000));
  const r = await drainWith(1, { DATABASE_SCHEMA: w.schema, DATABASE_URL: url, NODE_OPTIONS: opts });
  console.log(opts || 'default', Math.round(r.wallMs), 'ms', Math.round(r.reports[0].rssPeak / 2 ** 20), 'MB');
  await w.drop();
}
process.exit(0);
