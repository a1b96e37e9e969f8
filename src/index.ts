/**
 * kms-bench's public API. Everything not exported here is internal: tests and benches import internals from their
 * modules, never through this file. Every name below carries a TSDoc comment where it is declared (`npm run lint`
 * fails on one that does not: eslint-rules/documented-exports.js).
 *
 * Two ways in: run scenarios ({@link loadScenario}, {@link runScenario}, {@link writeReports}), or drive the model of
 * KMS yourself ({@link KmsModel}, served to the real `KMSClient` by {@link createKmsRequestHandler} or over HTTP by
 * {@link startKmsServer}).
 */

// Scenarios: load, run, report.
export { loadScenario } from './api/load-scenario.js';
export type { LoadScenarioOptions, ScenarioSource, ScenarioText } from './api/load-scenario.js';
export { runScenario } from './api/run-scenario.js';
export type { ReportOptions, RunBudget, RunScenarioOptions } from './api/run-options.js';
export { RunRefusedError } from './api/run-events.js';
export { mergeResultFiles, MergeRefusedError } from './api/merge-files.js';
export type { ShardPlan } from './engine/wire.js';
export type { RunProgress, RunStart, VirtualRunProgress, WallRunProgress } from './api/run-events.js';
export type { LiveFigures, LiveSecondCounts, LiveTotals, StreamRow } from './api/run-events.js';
export type { OptionNames } from './api/option-names.js';
export { writeReports } from './api/write-reports.js';
export type { ReportOutcome, WriteReportsOptions } from './api/write-reports.js';
export type { WrittenReport } from './report/write-report.js';
export type { CiFormat } from './report/ci-formats.js';
export { ScenarioError } from './scenario/errors.js';
export type { ScenarioProblem } from './scenario/errors.js';
export type { ClockKind, Scenario } from './scenario/types.js';

// What a run measured (result.json).
export { resultToJson } from './report/result.js';
export type { FleetPlacement, MergeableMetrics, MergedInstance, PrincipalSummary, RunResult, ThresholdOutcome, VariantResult } from './report/result-types.js';
export type { CostEstimate } from './report/cost.js';
export type { FleetSummary, LatencyBucketsUs, LatencySummaryUs, MetricsSummary, OperationSummary, StartDelaySummaryUs } from './metrics/summary.js';
export type { AttributionPlacement, ServicesResult, SourceShare } from './report/attribution.js';
export type { KmsCallCounts, KmsCallSource, ServiceCountsWire, ServiceQuotaSnapshot, ServiceRequestCounts } from './services/index.js';

// The model of KMS.
export { KmsModel } from './kms/model.js';
export type { KeySeed, KmsModelOptions, KmsModelUsage } from './kms/model.js';
export { KmsModelOptionsError } from './kms/callers.js';
export type { ModelLimits } from './kms/callers.js';
export { KMS_REGIONS } from './kms/regions.js';
export { KmsError } from './kms/errors.js';
export type { KmsErrorName } from './kms/errors.js';
export { KMS_OPERATIONS } from './kms/types.js';
export type { CallContext, KmsInput, KmsOperation, KmsOutput } from './kms/types.js';
// Who may call: principals, key policies and IAM policies (evaluated as KMS does).
export type { PrincipalSeed } from './kms/principals.js';
export { checkPolicyDocument } from './kms/policy-document.js';
export type { PolicyKind } from './kms/policy-document.js';
export { defaultKeyPolicy, keyUserAdminPolicy, KEY_ADMIN_ACTIONS, KEY_USER_ACTIONS } from './kms/policy-templates.js';
export type { KeyUserAdminOptions } from './kms/policy-templates.js';
export { KMS_ACTIONS } from './kms/policy-actions.js';
export type { KmsAction } from './kms/policy-actions.js';
export { CONDITION_KEY_NAMES } from './kms/policy-condition-keys.js';
export { QuotaBoard, QuotaCapacityError, QuotaOptionsError } from './quota/index.js';
export type {
  NowNs,
  QuotaOptions,
  QuotaOptionsIssue,
  QuotaPartition,
  QuotaSlotSnapshot,
  ResolvedQuotaOptions,
  SharedQuotaBoard,
} from './quota/index.js';

// Serving the model: to the real SDK in process, or over HTTP.
export { createKmsRequestHandler, startKmsServer } from './protocol/index.js';
export type { KmsRequestHandler, KmsRequestHandlerOptions, KmsServer, KmsServerOptions } from './protocol/index.js';

// Time: what the model reads and clients wait on.
export { ManualClock, wallClock } from './base/time.js';
export type { Clock, Sleeper, TimeSource } from './base/time.js';
export { VirtualClock } from './engine/virtual-clock.js';
export type { DrainMode, SimulationStats, VirtualClockOptions } from './engine/virtual-clock.js';
