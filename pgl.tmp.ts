import { PGlite } from '@electric-sql/pglite';
let t=Date.now();
const a = new PGlite(); await a.waitReady; console.log('open', Date.now()-t); t=Date.now();
await a.exec('create table x(id int)'); console.log('ddl', Date.now()-t); t=Date.now();
const b = await (a as any).clone(); console.log('clone', Date.now()-t); t=Date.now();
console.log(await b.query('select count(*) from x'));
const c = new PGlite(); await c.waitReady; console.log('open2', Date.now()-t);
