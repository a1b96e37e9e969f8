/**
 * The smallest whole scenario the scenario tests start from: one symmetric key and one open fleet `web` calling
 * Encrypt at 100/s in us-east-1. Tests splice in the lines they are about rather than copying the skeleton.
 */

/** What to splice in: top-level lines (after `duration`), fleet lines (indented 4), and the name and duration. */
export interface ScenarioParts {
  readonly name?: string;
  readonly duration?: string;
  /** Top-level YAML lines, e.g. `quotas: { … }` or `lateness: { threshold: 5ms }`. */
  readonly top?: string;
  /** Lines of the fleet, indented 4, e.g. `    retry: none`. */
  readonly fleet?: string;
}

/** A one-key, one-fleet scenario as YAML text. */
export function oneFleetScenario(parts: ScenarioParts = {}): string {
  const lines = [
    `name: ${parts.name ?? 'minimal'}`,
    `duration: ${parts.duration ?? '10s'}`,
    ...(parts.top === undefined || parts.top === '' ? [] : [parts.top]),
    'keys:',
    '  - { name: app, region: us-east-1 }',
    'fleets:',
    '  - name: web',
    '    region: us-east-1',
    '    workload: { model: open, arrivalRate: 100 }',
    '    mix: [{ op: Encrypt, key: app }]',
    ...(parts.fleet === undefined ? [] : [parts.fleet]),
  ];
  return `\n${lines.join('\n')}\n`;
}
