import { appendFileSync, writeFileSync } from 'node:fs';
import { makeDirectory } from '../run/report-dir.ts';
import { join } from 'node:path';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';
import { toMarkdown } from './markdown.ts';
import type { ConformanceReport } from './model.ts';

/** Writes conformance.json, junit.xml, summary.md and report.html; appends the summary to GITHUB_STEP_SUMMARY when set. */
export function writeReports(report: ConformanceReport, dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  makeDirectory(dir, `report directory ${dir}`);
  const files = {
    'conformance.json': `${JSON.stringify(report, null, 2)}\n`,
    'junit.xml': toJUnit(report),
    'summary.md': toMarkdown(report),
    'report.html': toHtml(report),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, files['summary.md']);
  return Object.keys(files).map((name) => join(dir, name));
}
