/** One validation pass over a document: the schema, then the cross-field rules; every finding, never the first only. */
import { zodFindings, scenarioErrorMap } from './issues.js';
import type { Finding } from './issues.js';
import { crossFieldFindings } from './rules.js';
import { scenarioSchema } from './schema.js';
import type { ParsedScenario } from './schema.js';

/** The findings of a document, and its parsed form when there are none. */
export type CheckResult = { ok: true; parsed: ParsedScenario } | { ok: false; findings: Finding[] };

/** Validates a whole document (a scenario or one matrix variant). */
export function checkDocument(document: unknown): CheckResult {
  const result = scenarioSchema.safeParse(document, { reportInput: true, error: scenarioErrorMap });
  const findings = result.success ? [] : zodFindings(result.error.issues);
  findings.push(...crossFieldFindings(document));
  if (result.success && findings.length === 0) return { ok: true, parsed: result.data };
  return { ok: false, findings: dedupe(findings) };
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const id = JSON.stringify([finding.segments, finding.message]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
