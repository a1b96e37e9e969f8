/**
 * Scenario files: the zod schema, the YAML/JSON loader, `--set` overrides and matrix expansion. A scenario is
 * validated completely before any work starts; every problem is reported at once with its path.
 */
export { parseScenarioText, loadScenarioFile, readScenarioText } from './loader.js';
export type { LoadOptions, ScenarioSource } from './loader.js';
export { validateScenario } from './validate.js';
export type { SourcePosition, ValidateOptions } from './validate.js';
export { applyOverrides } from './overrides.js';
export { expandMatrix, MAX_VARIANTS } from './matrix.js';
export { ScenarioError } from './errors.js';
export type { PathSegment, ScenarioProblem } from './errors.js';
export { scenarioHash } from './hash.js';
export { parseDuration, formatDuration } from './duration.js';
export { MIX_OPERATIONS } from './catalog.js';
export { RETRY_POLICIES } from './schema.js';
export type {
  BackoffPolicy,
  BackoffRetryFields,
  BackoffRetrySpec,
  ClientKind,
  ClockKind,
  ClosedWorkloadSpec,
  FleetSpec,
  KeySpecEntry,
  LatencySpec,
  MatrixAxis,
  MixEntry,
  MixOperation,
  AnyMixOperation,
  ServiceMixSpec,
  ServicesSpec,
  NoBackoffRetrySpec,
  NoRetrySpec,
  OpenWorkloadSpec,
  PayloadSpec,
  PrincipalSpec,
  QuotaSpec,
  RetrySpec,
  Scenario,
  ScenarioDocument,
  SdkRetryPolicy,
  SdkRetrySpec,
  StageSpec,
  TokenBudgetSpec,
  Variant,
  WorkloadSpec,
} from './types.js';
