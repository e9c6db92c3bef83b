import type { CheckResult, ConformanceReport, FailureRecord } from './model.ts';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;color:#fff;font-weight:600}
.pass{background:#1f8a4c}.fail{background:#c62828}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #d5d9e0;padding:.25rem .4rem}
th.check{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}
td.passed{background:#d7f2e1}td.failed{background:#f8d0d0;font-weight:700}td.skipped{background:#f1f2f4;color:#9aa0aa}
td.op{white-space:nowrap;font-family:ui-monospace,monospace}
details{margin:.4rem 0;border:1px solid #d5d9e0;border-radius:4px;padding:.4rem .6rem}
summary{cursor:pointer}pre{background:#f6f7f9;padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
.count{color:#c62828;font-weight:700}.muted{color:#6b7280}
`;

/** One self-contained HTML page: verdict, a coloured matrix of operations by checks, failures grouped by check. */
export function toHtml(report: ConformanceReport): string {
  const { summary, run } = report;
  const checks = [...new Set(report.results.map((r) => r.check))];
  const rows = new Map<string, Map<string, CheckResult>>();
  for (const r of report.results) {
    const key = `${r.provider}\u0000${r.method} ${r.path}\u0000${r.operationId}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(r.check, r);
  }
  const matrix = [...rows].map(([key, byCheck]) => {
    const [provider, route, id] = key.split('\u0000');
    const cells = checks.map((c) => {
      const r = byCheck.get(c);
      const outcome = r?.outcome ?? 'skipped';
      const mark = outcome === 'passed' ? '✓' : outcome === 'failed' ? '✗' : '·';
      return `<td class="${outcome}" title="${esc(`${c}: ${outcome}${r?.failures[0] ? ` — ${r.failures[0].message}` : ''}`)}">${mark}</td>`;
    });
    return `<tr><td>${esc(provider!)}</td><td class="op">${esc(route!)} <span class="muted">${esc(id!)}</span></td>${cells.join('')}</tr>`;
  });
  const failed = report.results.filter((r) => r.outcome === 'failed');
  const byCheck = new Map<string, CheckResult[]>();
  for (const r of failed) byCheck.set(r.check, [...(byCheck.get(r.check) ?? []), r]);
  const failures = [...byCheck].map(([check, results]) => {
    const items = results.flatMap((r) => r.failures.map((f) => failureDetails(r, f)));
    return `<h3>${esc(check)} <span class="count">${results.reduce((n, r) => n + r.failures.reduce((m, f) => m + f.count, 0), 0)}</span></h3>${items.join('')}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance: ${esc(run.provider)}</title><style>${STYLE}</style></head>
<body>
<h1>Conformance: ${esc(run.provider)} <span class="verdict ${summary.failed === 0 ? 'pass' : 'fail'}">${summary.failed === 0 ? 'PASS' : 'FAIL'}</span></h1>
<p>${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} not applicable; ${summary.operationsExercised}/${summary.operations} operations exercised with ${summary.requests} requests in ${(run.durationMs / 1000).toFixed(1)} s.
Target <code>${esc(run.target)}</code>, seed <code>${run.seed}</code>, started ${esc(run.startedAt)}${run.interrupted ? ', <strong>interrupted</strong>' : ''}.</p>
<h2>Operations by checks</h2>
<table><thead><tr><th>provider</th><th>operation</th>${checks.map((c) => `<th class="check">${esc(c)}</th>`).join('')}</tr></thead>
<tbody>${matrix.join('\n')}</tbody></table>
<h2>Failures</h2>
${failures.length ? failures.join('\n') : '<p>None.</p>'}
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

function failureDetails(result: CheckResult, f: FailureRecord): string {
  const request = `${f.request.method} ${f.request.url}\n${Object.entries(f.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}${f.request.body ? `\n\n${pretty(f.request.body)}` : ''}`;
  const response = f.response ? `${f.response.status}\n${Object.entries(f.response.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${pretty(f.response.body)}` : '(no response)';
  const shrunk = f.shrunk ? `<p>Smallest failing request (fast-check seed ${f.shrunk.seed}, path <code>${esc(f.shrunk.path)}</code>):</p><pre>${esc(f.shrunk.curl)}</pre>` : '';
  return `<details><summary><strong>${esc(result.operationId)}</strong> ${esc(f.message)}${f.count > 1 ? ` <span class="count">×${f.count}</span>` : ''}</summary>
<p>Request</p><pre>${esc(request)}</pre><p>Response</p><pre>${esc(response)}</pre><p>Reproduce</p><pre>${esc(f.curl)}</pre>${shrunk}</details>`;
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
