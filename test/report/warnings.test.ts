import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ResultCollector } from '../../src/report/model.ts';
import { SCHEMA_VERSION } from '../../src/report/coverage.ts';
import { Redactor } from '../../src/report/redact.ts';
import { toJUnit } from '../../src/report/junit.ts';
import { toMarkdown } from '../../src/report/markdown.ts';
import { toHtml } from '../../src/report/html.ts';
import { mergeReports } from '../../src/report/merge.ts';
import { warningLines } from '../../src/report/warning-lines.ts';
import { exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': {} } }], { id: 'listThings', path: '/things' });
const warning = 'query parameter extended of the wrong type (a string for a boolean) was answered 200, expected a 4xx refusal (the docs do not state that it is refused)';

function collect(failures: string[], warnings: string[]) {
  const collector = new ResultCollector(new Redactor());
  collector.sink({ type: 'run-start', provider: 'test', target: 'http://127.0.0.1:1', seed: 1, operations: [op], checks: ['negative-data-rejection'], startedAt: new Date(0).toISOString() });
  for (let i = 0; i < 3; i++) collector.sink({ type: 'exchange', exchange: exchange(op, response(200, { n: i }), 'invalid'), outcomes: [{ check: 'negative-data-rejection', failures, warnings }] });
  collector.sink({ type: 'run-end', durationMs: 10, interrupted: false });
  return collector.report();
}

describe('warnings: reported, counted and shown apart, never a failed check', () => {
  const warned = collect([], [warning]);
  const failed = collect([warning.replace(/ \(the docs.*$/, '')], []);

  it('a result with only warnings passes, carries them with an id, and the summary counts them', () => {
    const [result] = warned.results;
    expect(result).toMatchObject({ outcome: 'passed', failures: [], warnings: [{ message: warning, count: 3, id: expect.stringMatching(/^[0-9a-f]{12}$/) }] });
    expect(warned.summary).toMatchObject({ passed: 1, failed: 0, warned: 1, warningFindings: 3 });
    expect(failed.results[0]).toMatchObject({ outcome: 'failed', warnings: [] });
    expect(failed.summary).toMatchObject({ failed: 1, warned: 0, warningFindings: 0 });
  });

  it('matches the report schema (warnings since 1.2)', () => {
    const schema = JSON.parse(readFileSync(new URL('../../schemas/conformance-report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(warned), JSON.stringify(validate.errors)).toBe(true);
    expect(warned.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it('JUnit: the testcase does not fail, the warning is in its output', () => {
    const xml = toJUnit(warned);
    expect(xml).not.toContain('<failure');
    expect(xml).toContain('failures="0"');
    expect(xml).toContain('<system-out>WARNING (not a failure): query parameter extended');
    expect(toJUnit(failed)).toContain('<failure');
  });

  it('summary.md: PASS, a warnings count on the verdict line, a section of its own and a ⚠️ cell', () => {
    const md = toMarkdown(warned);
    expect(md).toMatch(/^\*\*PASS\*\*: 1 passed, 0 failed, 0 not applicable; 3 warnings where the docs are silent \(not failures\)/m);
    expect(md).toContain('## Warnings where the docs are silent');
    expect(md).toContain('| ⚠️ |');
    expect(md).not.toContain('## Failures');
  });

  it('report.html: PASS, a warnings section, a ! cell opening it, and no failure', () => {
    const html = toHtml(warned);
    expect(html).toContain('<span class="verdict pass">PASS</span>');
    expect(html).toContain('<h2 id="warnings-silent">Warnings where the docs are silent</h2>');
    expect(html).toMatch(/<td class="warned"[^>]*><a href="#f-[0-9a-f]{12}">!<\/a><\/td>/);
    expect(html).not.toContain('<td class="failed"');
    expect(toHtml(failed)).not.toContain('warnings-silent');
  });

  it('console: a WARNINGS line apart from the verdict', () => {
    expect(warningLines(warned)).toEqual(['WARNINGS (not failures; the docs are silent): 1 distinct, 3 requests', `  negative-data-rejection listThings: ${warning}`]);
    expect(warningLines(failed)).toEqual([]);
  });

  it('merge adds the warnings of shards and keeps the result passing', () => {
    const merged = mergeReports([warned, collect([], [warning])]);
    expect(merged.results[0]).toMatchObject({ outcome: 'passed', warnings: [{ count: 6 }] });
    expect(merged.summary).toMatchObject({ failed: 0, warned: 1, warningFindings: 6 });
  });
});
