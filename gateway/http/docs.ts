/**
 * `/api/v1/openapi.json` (OpenAPI 3.1, generated from the zod route declarations) and
 * `/api/v1/docs`, a self-contained page that renders it. No CDN: appliances are often air-gapped.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.js';
import { registerHealthDocs } from '../health/health-docs.js';
import { registerWsDocs } from '../ws/ws-docs.js';

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WardClerk API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b2733;background:#f6f8fa}
header{background:#0b4f6c;color:#fff;padding:16px 24px}h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
.op{background:#fff;border:1px solid #d6dde3;border-radius:6px;margin:10px 0}
.op summary{cursor:pointer;padding:10px 12px;display:flex;gap:12px;align-items:center}
.m{font-weight:700;min-width:60px;text-transform:uppercase}.get{color:#1a7f37}.post{color:#0550ae}.delete{color:#cf222e}
code,pre{font-family:ui-monospace,monospace}pre{background:#f0f3f6;padding:8px;overflow:auto;max-height:360px}
.body{padding:0 12px 12px}
</style></head><body><header><h1>WardClerk API</h1><div id="ver"></div></header>
<main id="ops">Loading /api/v1/openapi.json …</main>
<script>
fetch('/api/v1/openapi.json').then(r=>r.json()).then(doc=>{
  const main=document.getElementById('ops'); main.textContent='';
  document.getElementById('ver').textContent='OpenAPI '+doc.openapi+' · version '+doc.info.version;
  const resolve=(s)=>s&&s.$ref?doc.components.schemas[s.$ref.split('/').pop()]:s;
  for(const [path,item] of Object.entries(doc.paths)){for(const [m,op] of Object.entries(item)){
    const d=document.createElement('details');d.className='op';
    const s=document.createElement('summary');
    const mm=document.createElement('span');mm.className='m '+m;mm.textContent=m;
    const p=document.createElement('code');p.textContent=path;
    const t=document.createElement('span');t.textContent=op.summary||'';
    s.append(mm,p,t);d.append(s);
    const b=document.createElement('div');b.className='body';
    const add=(title,obj)=>{if(!obj)return;const h=document.createElement('h4');h.textContent=title;const pre=document.createElement('pre');pre.textContent=JSON.stringify(obj,null,2);b.append(h,pre);};
    if(op.description){const pd=document.createElement('p');pd.textContent=op.description;b.append(pd);}
    add('Parameters',op.parameters);
    const rb=op.requestBody&&op.requestBody.content;if(rb)add('Request body',Object.fromEntries(Object.entries(rb).map(([k,v])=>[k,resolve(v.schema)])));
    add('Responses',Object.fromEntries(Object.entries(op.responses||{}).map(([k,v])=>[k,v.description])));
    d.append(b);main.append(d);}}
});
</script></body></html>`;

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  registerWsDocs(app.openAPIRegistry);
  registerHealthDocs(app.openAPIRegistry);
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'WardClerk API',
      version: '1.0.0',
      description: 'Clinical notes in, structured data out. Every response uses the envelope {status, data|error, metadata}.',
    },
    security: [{ bearerAuth: [] }],
  });
  app.get('/api/v1/docs', (c) => c.html(DOCS_HTML));
}
