import { benchLocalStack } from './bench-local-stack';
await benchLocalStack((h, rows) => { console.log(h.join(' | ')); for (const r of rows) console.log(r.join(' | ')); });
