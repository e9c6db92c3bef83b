import { failureId } from './baseline.ts';
import { failureTotals, formatMs, groupFailures, parseJson, pointersIn, resolvePointer, type FailureEntry, type FailureGroup } from './failure-groups.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from './model.ts';
import type { OperationCoverage, OperationTiming } from './coverage.ts';
import { reachText } from './coverage.ts';
import { verdictOf } from './verdict.ts';

const STYLE = `
:root{--ok:#1f8a4c;--bad:#c62828;--warn:#b26a00;--line:#d5d9e0;--soft:#f6f7f9;--muted:#6b7280}
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1d2330}
h1{font-size:1.4rem;margin:0 0 .6rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}h4{font-size:.85rem;margin:.7rem 0 .2rem;color:#374151}
.verdict,.badge{display:inline-block;padding:.15rem .55rem;border-radius:4px;color:#fff;font-weight:600;font-size:.85em;vertical-align:middle}
.pass{background:var(--ok)}.fail{background:var(--bad)}.interrupted{background:var(--warn)}
.badge.new{background:#7c3aed}.badge.still{background:#6b7280}.badge.fixed{background:var(--ok)}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.8rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.45rem .75rem;min-width:9rem;background:#fff}
.card .k{font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}.card .v{font-size:1.15rem;font-weight:600}.card .d{font-size:.8rem;color:var(--muted)}
.card.transient{border-color:#f0c36d;background:#fffaf0}.card.bad .v{color:var(--bad)}
.banner{border-left:4px solid var(--warn);background:#fff7e6;padding:.5rem .8rem;margin:.6rem 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid var(--line);padding:.2rem .4rem;text-align:left}
th{background:var(--soft);font-weight:600}
th.check{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500;text-align:left;padding:.4rem .1rem;font-size:11px}
td.passed,td.failed,td.skipped{text-align:center;min-width:.9rem;padding:.2rem .15rem}
td.passed{background:#d7f2e1;color:var(--ok)}td.failed{background:#f8d0d0;font-weight:700}td.skipped{background:#f1f2f4;color:#9aa0aa}
td.failed a{color:var(--bad);text-decoration:none;display:block}
td.op{font-family:ui-monospace,monospace;position:sticky;left:0;background:#fff;z-index:1;min-width:11rem;max-width:24rem;overflow-wrap:anywhere}td.op .id,td.op .prov{display:block;font-size:11px}
table.matrix{width:100%}td.never .st,td.undoc .st{white-space:nowrap}
@media (max-width:900px){body{margin:.6rem}td.op{min-width:8rem;max-width:14rem}td.seen{max-width:5.5rem}}
td.warned{text-align:center;background:#fdf0c8;color:#8a6100}td.warned a{color:#8a6100;text-decoration:none;display:block}
th.opcol{position:sticky;left:0;z-index:2}td.seen,td.never,td.undoc{font-family:ui-monospace,monospace;font-size:11px;min-width:4.5rem;max-width:8.5rem}td.undoc{min-width:2rem}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.has-fail td.op{box-shadow:inset 3px 0 var(--bad)}tbody tr:hover td{filter:brightness(.97)}
tfoot td{background:var(--soft);font-weight:600}
.m{display:inline-block;min-width:3.2rem;font-weight:700}.m.get{color:#1d4ed8}.m.post{color:#15803d}.m.put,.m.patch{color:#b45309}.m.delete{color:#b91c1c}
.st{display:inline-block;padding:0 .25rem;border-radius:3px;margin:0 .1rem .1rem 0;font-family:ui-monospace,monospace}
.s2{background:#d7f2e1}.s3{background:#e0ecff}.s4{background:#fde7c7}.s5{background:#f8d0d0}.sx{background:#eee}
.sn{white-space:nowrap}.never .st{color:var(--muted);border:1px dashed #c4c8cf;padding:0 .2rem}.undoc{color:var(--bad);font-weight:700}
details{margin:.35rem 0;border:1px solid var(--line);border-radius:5px;padding:.35rem .6rem;background:#fff}
details[open]{background:#fcfcfd}
details details{margin-left:.4rem}
summary{cursor:pointer}summary .msg{font-family:ui-monospace,monospace;font-size:12.5px}
.count{color:var(--bad);font-weight:700}.muted{color:var(--muted)}.ops{color:var(--muted);font-size:.9em}
pre{background:var(--soft);padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:.2rem 0;max-height:28rem}
mark{background:#ffe066;border-radius:2px;outline:1px solid #e0b400}
table.pointers td{font-family:ui-monospace,monospace;vertical-align:top}
.curlbox{position:relative}.curlbox button.copy{position:absolute;right:.3rem;top:.3rem;font-size:11px;padding:.1rem .5rem;cursor:pointer}
ul.oplist{columns:3;font-family:ui-monospace,monospace;font-size:12px;margin:.3rem 0}
.legend{font-size:12px;color:var(--muted);margin:.3rem 0}
:target{outline:2px solid #7c3aed}
`;

/**
 * Copy buttons on curl lines, and opening the failure a link points at (#f-<failure id>) with every
 * <details> around it. The page works without it.
 */
const SCRIPT = `
(function () {
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    for (var e = el; e; e = e.parentElement) if (e.tagName === 'DETAILS') e.open = true;
    el.scrollIntoView({ block: 'start' });
  }
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  document.querySelectorAll('pre.curl').forEach(function (pre) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.addEventListener('click', function () {
      var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(pre.textContent).then(done, function () { select(pre); });
      else select(pre);
    });
    pre.parentNode.insertBefore(button, pre);
  });
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
`;

interface Row {
  provider: string;
  operationId: string;
  method: string;
  path: string;
  byCheck: Map<string, CheckResult>;
  coverage?: OperationCoverage;
  timing?: OperationTiming;
}

/**
 * One self-contained HTML page (no network: a Content-Security-Policy forbids it): the run header with totals,
 * throughput, transient answers, lifecycle ready times and baseline marks; a coloured matrix of operations by
 * checks with status coverage and latency; failures grouped by check and deduplicated by cause, each opening
 * to request, response, the values the validation errors point at, a curl line and the shrunk reproduction.
 */
export function toHtml(report: ConformanceReport): string {
  const { summary, run } = report;
  const checks = [...new Set(report.results.map((r) => r.check))];
  const rows = matrixRows(report);
  const multiProvider = new Set(rows.map((r) => r.provider)).size > 1;
  const grouped = groupFailures(report);
  const { pass, label: verdict } = verdictOf(report);
  const { distinct, ids, requests: failingRequests } = failureTotals(grouped);

  const matrix = rows.map((row) => {
    const failed = [...row.byCheck.values()].some((r) => r.outcome === 'failed');
    const cells = checks.map((c) => {
      const r = row.byCheck.get(c);
      const outcome = r?.outcome ?? 'skipped';
      const title = esc(`${c}: ${outcome === 'skipped' ? 'not applicable' : outcome}${r ? ` (${r.checked} judged)` : ''}${r?.failures[0] ? ` — ${r.failures[0].message}` : ''}`);
      if (outcome === 'failed' && r?.failures[0]) return `<td class="failed" title="${title}"><a href="#f-${esc(entryId(r, r.failures[0]))}">✗</a></td>`;
      const warning = r?.warnings?.[0];
      if (warning) return `<td class="warned" title="${esc(`${c}: passed with a warning (the docs are silent) — ${warning.message}`)}"><a href="#f-${esc(entryId(r, warning))}">!</a></td>`;
      return `<td class="${outcome}" title="${title}">${outcome === 'passed' ? '✓' : '·'}</td>`;
    });
    const cov = row.coverage;
    const seen = cov ? Object.entries(cov.seen).map(([status, n]) => `<span class="sn"><span class="st s${/^[1-5]/.test(status) ? status[0] : 'x'}" title="${n} answers">${esc(status)}</span>×${n}</span>`).join(' ') : '';
    const latency = row.timing?.latencyMs;
    return `<tr class="${failed ? 'has-fail' : ''}" data-operation="${esc(row.operationId)}">
<td class="op">${multiProvider ? `<span class="muted prov">${esc(row.provider)}</span>` : ''}<span class="m ${esc(row.method.toLowerCase())}">${esc(row.method)}</span>${esc(row.path)}<span class="muted id">${esc(row.operationId)}</span></td>
${cells.join('')}
<td class="num">${cov?.requests ?? row.timing?.requests ?? ''}</td><td class="seen">${seen}</td>
<td class="never">${(cov?.neverSeen ?? []).map((s) => `<span class="st">${esc(s)}</span>`).join('')}</td><td class="undoc">${(cov?.undocumented ?? []).map((s) => `<span class="st s5">${esc(s)}</span>`).join('')}</td>
<td class="num">${row.timing ? formatMs(row.timing.durationMs) : ''}</td><td class="num" title="${latency ? esc(`mean ${latency.mean} ms, p50 ${latency.p50} ms, max ${latency.max} ms`) : ''}">${latency ? formatMs(latency.p95) : '—'}</td></tr>`;
  });
  const failingOps = (check: string) => rows.filter((r) => r.byCheck.get(check)?.outcome === 'failed').length;
  const totalsRow = `<tr><td class="op">${rows.length} operations</td>${checks.map((c) => `<td class="num" title="${esc(c)}: operations failing">${failingOps(c) || ''}</td>`).join('')}<td class="num">${summary.requests}</td><td colspan="5" class="muted">${report.coverage ? `${report.coverage.documentedStatusesSeen}/${report.coverage.documentedStatuses} documented status codes seen` : ''}</td></tr>`;

  const failures = grouped.map(
    (c) => `<section class="check" id="check-${esc(c.check)}"><h3>${esc(c.check)} <span class="count">${c.count}</span> <span class="muted">failing requests, ${c.groups.length} distinct ${c.groups.length === 1 ? 'cause' : 'causes'}</span></h3>
${c.groups.map(groupHtml).join('\n')}</section>`,
  );

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conformance: ${esc(run.provider)} — ${verdict}</title><style>${STYLE}</style></head>
<body>
<header>
<h1>Conformance: ${esc(run.provider)} <span class="verdict ${pass ? 'pass' : verdict === 'INTERRUPTED' ? 'interrupted' : 'fail'}">${esc(verdict)}</span>${run.interrupted && verdict !== 'INTERRUPTED' ? ' <span class="verdict interrupted">INTERRUPTED</span>' : ''}</h1>
${run.interrupted || run.stopReason ? `<div class="banner" role="alert"><strong>The run stopped early</strong>${run.stopReason ? `: ${esc(run.stopReason)}` : ''}. Operations after that point were not exercised; resources the run created were cleaned up.</div>` : ''}
${(report.alerts ?? []).map((a) => `<div class="banner" role="alert"><strong>Warning</strong>: ${esc(a)}</div>`).join('\n')}
${headerCards(report, distinct, failingRequests)}
<p class="muted">Target <code>${esc(run.target)}</code>, seed <code>${esc(String(run.seed))}</code>, started ${esc(run.startedAt)}, report schema ${esc(report.schemaVersion)}.</p>
</header>
<h2>Operations by checks</h2>
<div class="scroll"><table class="matrix"><thead><tr><th class="opcol">operation</th>${checks.map((c) => `<th class="check">${esc(c)}</th>`).join('')}<th title="requests sent">reqs</th><th title="status codes answered, with counts">seen</th><th title="documented status codes that no answer carried">never seen</th><th title="status codes answered that the operation does not document">undoc.</th><th title="wall time, lifecycle waits included">time</th><th title="95th percentile latency">p95</th></tr></thead>
<tbody>
${matrix.join('\n')}
</tbody>
<tfoot>${totalsRow}</tfoot></table></div>
<p class="legend">✓ passed, ✗ failed (opens the failure), ! passed with a warning where the docs are silent (opens it), · not applicable. Hover a cell for its message.</p>
${lifecycleHtml(report)}
<h2>Failures</h2>
${failures.length ? `<p>${distinct} distinct ${distinct === 1 ? 'failure' : 'failures'} (${failingRequests} failing requests), grouped by check and by cause across operations${ids > distinct ? `; ${ids} failure ids, one per operation affected` : ''}.</p>\n${failures.join('\n')}` : '<p>None.</p>'}
${warningsHtml(report)}
${baselineFixedHtml(report)}
${report.warnings.length ? `<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
<script>${SCRIPT}</script>
</body></html>
`;
}

/** Findings where the documentation is silent: shown apart from the failures, never failing the run. */
function warningsHtml(report: ConformanceReport): string {
  const grouped = groupFailures(report, 'warnings');
  if (grouped.length === 0) return '';
  const distinct = grouped.reduce((n, c) => n + c.groups.length, 0);
  const sections = grouped.map(
    (c) => `<section class="check warned-check" id="warn-${esc(c.check)}"><h3>${esc(c.check)} <span class="count">${c.count}</span> <span class="muted">requests, ${c.groups.length} distinct ${c.groups.length === 1 ? 'cause' : 'causes'}</span></h3>
${c.groups.map(groupHtml).join('\n')}</section>`,
  );
  return `<h2 id="warnings-silent">Warnings where the docs are silent</h2>
<p>${distinct} distinct ${distinct === 1 ? 'finding' : 'findings'}, reported but not failed: the documentation does not state the expected behaviour, so another reading is conforming too.</p>
${sections.join('\n')}`;
}

function matrixRows(report: ConformanceReport): Row[] {
  const rows = new Map<string, Row>();
  const key = (r: { provider: string; operationId: string }) => `${r.provider}\u0000${r.operationId}`;
  const row = (r: { provider: string; operationId: string; method: string; path: string }): Row => {
    let out = rows.get(key(r));
    if (!out) rows.set(key(r), (out = { provider: r.provider, operationId: r.operationId, method: r.method, path: r.path, byCheck: new Map() }));
    return out;
  };
  for (const c of report.coverage?.operationList ?? []) row(c).coverage = c;
  for (const r of report.results) row(r).byCheck.set(r.check, r);
  for (const t of report.timing?.operations ?? []) {
    const existing = rows.get(key(t));
    if (existing) existing.timing = t;
  }
  return [...rows.values()];
}

function headerCards(report: ConformanceReport, distinct: number, failingRequests: number): string {
  const { summary, run } = report;
  const t = report.transient;
  const cards = [
    card('checks', `${summary.passed} passed · ${summary.failed} failed`, `${summary.skipped} not applicable`, summary.failed > 0 ? 'bad' : ''),
    card('failures', `${distinct} distinct`, `${failingRequests} failing requests`, distinct > 0 ? 'bad' : ''),
    ...(summary.warned ? [card('warnings (not failures)', `${summary.warningFindings ?? summary.warned}`, 'where the docs are silent', 'transient')] : []),
    card('operations exercised', `${summary.operationsExercised}/${summary.operations}`, report.coverage ? `${reachText(report.coverage).trim()} ${report.coverage.documentedStatusesSeen}/${report.coverage.documentedStatuses} documented statuses seen`.trim() : ''),
    card('requests', `${summary.requests}`, `${report.timing ? `${report.timing.requestsPerSecond} requests/s` : ''}`),
    card('duration', formatMs(run.durationMs), ''),
  ];
  if (t) {
    const rate = Object.entries(t.rateLimitHeaders ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
    cards.push(
      card(
        'transient (not failures)',
        `429 ×${t.rateLimited} · 503 ×${t.unavailable}`,
        `${t.retried} retried after ${formatMs(t.waitedMs)}${t.exhausted ? `, ${t.exhausted} still transient when retries ran out` : ''}${rate ? `; ${rate}` : ''}`,
        'transient',
      ),
    );
  }
  const b = report.baseline;
  if (b) cards.push(card('against baseline', `<span class="badge new">${b.new.length} new</span> <span class="badge still">${b.stillFailing.length} still failing</span> <span class="badge fixed">${b.fixed.length} fixed</span>`, esc(b.file), '', true));
  return `<div class="cards">${cards.join('')}</div>`;
}

function card(label: string, value: string, detail: string, cls = '', rawValue = false): string {
  return `<div class="card ${cls}"><div class="k">${esc(label)}</div><div class="v">${rawValue ? value : esc(value)}</div>${detail ? `<div class="d">${rawValue ? detail : esc(detail)}</div>` : ''}</div>`;
}

function lifecycleHtml(report: ConformanceReport): string {
  const byResource = new Map<string, number[]>();
  const deleted = new Map<string, number>();
  for (const l of report.lifecycle ?? []) {
    const k = `${l.provider}\u0000${l.resource}`;
    byResource.set(k, [...(byResource.get(k) ?? []), l.readyMs]);
    if (l.deletedMs !== undefined) deleted.set(k, (deleted.get(k) ?? 0) + 1);
  }
  if (byResource.size === 0) return '';
  const rows = [...byResource].map(([k, times]) => {
    const [provider, resource] = k.split('\u0000');
    const sorted = [...times].sort((a, b) => a - b);
    return `<tr><td>${esc(provider!)}</td><td>${esc(resource!)}</td><td class="num">${sorted.length}</td><td class="num">${formatMs(sorted[0]!)}</td><td class="num">${formatMs(sorted[Math.floor((sorted.length - 1) / 2)]!)}</td><td class="num">${formatMs(sorted[sorted.length - 1]!)}</td><td class="num">${deleted.get(k) ?? 0}</td></tr>`;
  });
  return `<h2>Lifecycle: time to ready</h2>
<table class="lifecycle"><thead><tr><th>provider</th><th>resource</th><th>created</th><th>fastest</th><th>median</th><th>slowest</th><th title="of these, seen gone after a delete the run sent">deleted</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function baselineFixedHtml(report: ConformanceReport): string {
  const fixed = report.baseline?.fixed ?? [];
  if (fixed.length === 0) return '';
  return `<h2>Fixed since the baseline</h2><p>${fixed.length} ${fixed.length === 1 ? 'failure' : 'failures'} of <code>${esc(report.baseline!.file)}</code> no longer occur:</p><ul class="oplist">${fixed.map((id) => {
    const f = report.baseline!.fixedFailures?.find((x) => x.id === id);
    return `<li id="fixed-${esc(id)}"><span class="badge fixed">fixed</span> <code>${esc(id)}</code>${f ? ` <strong>${esc(f.check)}</strong> on ${esc(f.provider)} ${esc(f.operationId)}: ${esc(f.message)}` : ''}</li>`;
  }).join('')}</ul>`;
}

function groupHtml(group: FailureGroup): string {
  const marks = markBadges(group.entries);
  if (group.entries.length === 1) {
    const entry = group.entries[0]!;
    return `<details class="failure" id="f-${esc(entry.id)}" data-group="${esc(group.key)}"><summary><span class="msg">${esc(entry.failure.message)}</span>${countHtml(entry.count)} <span class="ops">on ${esc(entry.result.operationId)} (${esc(entry.result.method)} ${esc(entry.result.path)})</span>${marks}</summary>
${evidenceHtml(entry.result, entry.failure)}</details>`;
  }
  const shown = group.operations.slice(0, 4).join(', ') + (group.operations.length > 4 ? ` and ${group.operations.length - 4} more` : '');
  return `<details class="group" id="g-${esc(group.key)}"><summary><span class="msg">${esc(group.message)}</span>${countHtml(group.count)} <span class="ops">on ${group.operations.length} operations: ${esc(shown)}</span>${marks}</summary>
${group.entries.length > 4 ? `<p>Operations affected:</p><ul class="oplist">${group.entries.map((e) => `<li><a href="#f-${esc(e.id)}">${esc(e.result.operationId)}</a>${e.count > 1 ? ` ×${e.count}` : ''}</li>`).join('')}</ul>\n` : ''}${group.entries.map((e) => entryHtml(e)).join('\n')}</details>`;
}

function entryHtml(entry: FailureEntry): string {
  const { result, failure } = entry;
  return `<details class="failure" id="f-${esc(entry.id)}"><summary><strong>${esc(result.operationId)}</strong> <span class="muted">${esc(result.method)} ${esc(result.path)}</span>${countHtml(entry.count)}${markBadges([entry])}</summary>
<p class="msg"><code>${esc(failure.message)}</code></p>
${evidenceHtml(result, failure)}</details>`;
}

function countHtml(count: number): string {
  return count > 1 ? ` <span class="count">×${count}</span>` : '';
}

function markBadges(entries: FailureEntry[]): string {
  const marks = new Set(entries.map((e) => e.mark).filter((m) => m !== undefined));
  return [...marks].map((m) => ` <span class="badge ${m === 'new' ? 'new' : 'still'}">${m}</span>`).join('');
}

/** Request, response, the values the message points at, curl, and the shrunk reproduction. */
function evidenceHtml(result: CheckResult, f: FailureRecord): string {
  const requestJson = parseJson(f.request.body);
  const responseJson = parseJson(f.response?.body);
  const pointers = pointersIn(f.message);
  const inResponse = new Set<string>();
  const inRequest = new Set<string>();
  const listed = pointers.flatMap((pointer) => {
    if (responseJson.ok) {
      const r = resolvePointer(responseJson.value, pointer);
      if (r.found) {
        inResponse.add(pointer);
        return [`<tr><td>${esc(pointer)}</td><td>response</td><td>${esc(short(r.value))}</td></tr>`];
      }
    }
    if (requestJson.ok) {
      const r = resolvePointer(requestJson.value, pointer);
      if (r.found) {
        inRequest.add(pointer);
        return [`<tr><td>${esc(pointer)}</td><td>request</td><td>${esc(short(r.value))}</td></tr>`];
      }
    }
    return [];
  });
  const pointerTable = listed.length ? `<h4>Where the body is wrong</h4><table class="pointers"><thead><tr><th>JSON pointer</th><th>in</th><th>value</th></tr></thead><tbody>${listed.join('')}</tbody></table>` : '';
  const request = f.request.method ? `<h4>Request</h4><pre class="http request">${httpRequest(f.request, inRequest)}</pre>` : '<h4>Request</h4><p class="muted">(no request recorded for this failure)</p>';
  const response = f.response
    ? `<h4>Response</h4><pre class="http response">${esc(`HTTP ${f.response.status}\n${headerLines(f.response.headers)}`)}\n\n${bodyHtml(f.response.body, responseJson, inResponse)}</pre>`
    : '<h4>Response</h4><p class="muted">(no response)</p>';
  const curl = f.curl ? `<h4>Reproduce</h4><div class="curlbox"><pre class="curl">${esc(f.curl)}</pre></div>` : '';
  const shrunk = f.shrunk
    ? `<h4>Smallest failing request</h4><p>${esc(f.shrunk.message)} <span class="muted">(fast-check seed <code>${esc(String(f.shrunk.seed))}</code>, path <code>${esc(f.shrunk.path)}</code>)</span></p>
<pre class="http shrunk">${httpRequest(f.shrunk.request, new Set())}</pre><div class="curlbox"><pre class="curl shrunk">${esc(f.shrunk.curl)}</pre></div>`
    : '';
  return `<div class="evidence" data-check="${esc(result.check)}">${pointerTable}${request}${response}${curl}${shrunk}</div>`;
}

function httpRequest(request: FailureRecord['request'], marked: Set<string>): string {
  const head = esc(`${request.method} ${request.url}\n${headerLines(request.headers)}`);
  return request.body !== undefined ? `${head}\n\n${bodyHtml(request.body, parseJson(request.body), marked)}` : head;
}

function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function bodyHtml(text: string, json: { ok: boolean; value?: unknown }, marked: Set<string>): string {
  return json.ok ? jsonHtml(json.value, marked, '', '') : esc(text);
}

/** JSON.stringify(value, null, 2), escaped, with the values at the marked pointers highlighted. */
function jsonHtml(value: unknown, marked: Set<string>, pointer: string, indent: string): string {
  const mark = (html: string) => (marked.has(pointer) ? `<mark title="${esc(pointer)}">${html}</mark>` : html);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return mark('[]');
    return mark(`[\n${value.map((v, i) => inner + jsonHtml(v, marked, `${pointer}/${i}`, inner)).join(',\n')}\n${indent}]`);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return mark('{}');
    return mark(`{\n${entries.map(([k, v]) => `${inner}${esc(JSON.stringify(k))}: ${jsonHtml(v, marked, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, inner)}`).join(',\n')}\n${indent}}`);
  }
  return mark(esc(JSON.stringify(value) ?? 'null'));
}

function entryId(result: CheckResult, failure: FailureRecord): string {
  return failure.id ?? failureId(result.provider, result.operationId, result.check, failure.message);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
