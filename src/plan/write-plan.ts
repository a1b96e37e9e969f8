/** Writing a plan's directory: plan.json, plan.md and plan.html. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { planHtml } from './plan-html.js';
import { planMarkdown } from './plan-markdown.js';
import type { PlanResult } from './plan-types.js';

/** The files written. */
export interface PlanFiles {
  readonly json: string;
  readonly markdown: string;
  readonly html: string;
}

/** plan.json as text: stable key order as built, two-space indent, trailing newline. */
export function planToJson(plan: PlanResult): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Writes the three files into `dir` (created if needed). */
export async function writePlan(plan: PlanResult, dir: string): Promise<PlanFiles> {
  await mkdir(dir, { recursive: true });
  const files = { json: join(dir, 'plan.json'), markdown: join(dir, 'plan.md'), html: join(dir, 'plan.html') };
  await Promise.all([
    writeFile(files.json, planToJson(plan)),
    writeFile(files.markdown, planMarkdown(plan)),
    writeFile(files.html, planHtml(plan)),
  ]);
  return files;
}
