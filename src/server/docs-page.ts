// A self-contained API reference page rendered from /api/openapi.json (no assets from the network).

export const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lathe API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:24px;color:#1b1f24}
h1{margin-top:0} .op{border:1px solid #d0d7de;border-radius:6px;margin:10px 0}
.op summary{padding:8px 12px;cursor:pointer} .m{display:inline-block;width:64px;font-weight:700}
.get{color:#0969da}.post{color:#1a7f37}.put{color:#9a6700}.patch{color:#8250df}.delete{color:#cf222e}
pre{background:#f6f8fa;padding:10px;overflow:auto;margin:0 12px 12px} p{margin:4px 12px}
</style></head><body><h1>Lathe API</h1>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p><div id="ops">Loading…</div>
<script>
fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
  const root=document.getElementById('ops'); root.textContent='';
  const esc=s=>String(s).replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
  for(const [path,item] of Object.entries(doc.paths||{})) for(const [method,op] of Object.entries(item)){
    const d=document.createElement('details'); d.className='op';
    const body=op.requestBody?'<p><b>Request</b></p><pre>'+esc(JSON.stringify(op.requestBody.content,null,2))+'</pre>':'';
    const params=op.parameters?'<p><b>Parameters</b></p><pre>'+esc(JSON.stringify(op.parameters,null,2))+'</pre>':'';
    d.innerHTML='<summary><span class="m '+method+'">'+method.toUpperCase()+'</span> <code>'+esc(path)+'</code> '+esc(op.summary||'')+'</summary>'
      +'<p>'+esc(op.description||'')+'</p>'+params+body+'<p><b>Responses</b></p><pre>'+esc(JSON.stringify(op.responses,null,2))+'</pre>';
    root.appendChild(d);
  }
  const s=document.createElement('details'); s.className='op';
  s.innerHTML='<summary><b>Schemas</b></summary><pre>'+esc(JSON.stringify((doc.components||{}).schemas||{},null,2))+'</pre>';
  root.appendChild(s);
});
</script></body></html>`;
