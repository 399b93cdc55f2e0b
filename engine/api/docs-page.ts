/**
 * A self-contained API reference rendered from the OpenAPI document. Hosted viewers (Swagger UI, Scalar) load
 * their scripts from a CDN, and an MSP's engine often runs where that is blocked; this page needs nothing.
 */
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: { type?: string } }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

type OpenApiDoc = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function renderDocsPage(doc: OpenApiDoc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? [])
        .map((p) => `<li><code>${escape(p.name)}</code> <small>${escape(p.in)}${p.required ? ', required' : ''}</small>${p.description ? ` — ${escape(p.description)}` : ''}</li>`)
        .join('');
      const body = op.requestBody?.content
        ? `<p><b>Body</b>: ${Object.keys(op.requestBody.content).map((t) => `<code>${escape(t)}</code>`).join(', ')}</p>`
        : '';
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<code>${escape(status)}</code> ${escape(r.description ?? '')}`)
        .join(' · ');
      const html = `<details><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code> — ${escape(op.summary ?? '')}</summary>
        ${op.description ? `<p>${escape(op.description)}</p>` : ''}${params ? `<ul>${params}</ul>` : ''}${body}<p><b>Responses</b>: ${responses}</p></details>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag.entries()].map(([tag, ops]) => `<h2>${escape(tag)}</h2>${ops.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(doc.info.title)} — API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1b1f24}
details{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.4rem .8rem}summary{cursor:pointer}
.m{display:inline-block;min-width:4.2em;font-weight:700;font-size:12px}.get{color:#0969da}.post{color:#1a7f37}.delete{color:#cf222e}
code{background:#f6f8fa;padding:0 .25em;border-radius:3px}</style></head><body>
<h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
${doc.info.description ? `<p>${escape(doc.info.description)}</p>` : ''}
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
${sections}</body></html>`;
}
