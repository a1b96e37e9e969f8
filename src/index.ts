/** kms-bench's public API. Everything not exported here is internal. */
export { KmsModel, DEFAULT_ACCOUNT_ID } from './kms/model.js';
export type { KeySeed, KmsModelOptions, KmsModelUsage } from './kms/model.js';
export { DEFAULT_MODEL_LIMITS, KmsModelOptionsError } from './kms/callers.js';
export type { ModelLimits } from './kms/callers.js';
export { KMS_REGIONS } from './kms/regions.js';
export type { KmsRegionRow } from './kms/regions.js';
export { KmsError, KMS_ERROR_STATUS, THROTTLING_MESSAGE, isRetryableKmsError } from './kms/errors.js';
export type { KmsErrorName } from './kms/errors.js';
export { KMS_OPERATIONS } from './kms/types.js';
export type { CallContext, KmsCallable, KmsInput, KmsOperation, KmsOutput } from './kms/types.js';
export { KEY_SPECS } from './kms/key-specs.js';
export { LIMITS, RSA_OAEP_MAX_PLAINTEXT_BYTES } from './kms/limits.js';

export { createKmsRequestHandler, startKmsServer } from './protocol/index.js';
export type { KmsRequestHandler, KmsRequestHandlerOptions, KmsServer, KmsServerOptions } from './protocol/index.js';

export { QuotaBoard, QuotaCapacityError, QuotaOptionsError, bucketFor, validateQuotaOptions } from './quota/index.js';
export type { QuotaOptions, QuotaSlotSnapshot, SharedQuotaBoard } from './quota/index.js';

export { ManualClock, wallClock } from './base/time.js';
export type { Clock, Sleeper, TimeSource } from './base/time.js';
export { planVariant } from './engine/plan.js';
export { runVariants } from './engine/run.js';
export type { EngineRun, RunOptions, RunProgress, VariantRun } from './engine/run.js';
export { VirtualClock } from './engine/virtual-clock.js';
export type { DrainMode, SimulationStats, VirtualClockOptions } from './engine/virtual-clock.js';
export { runSimulations, simulateVariant } from './engine/simulate.js';
export type { RepeatSummary, SeedSpread, SimulateOptions, SimulationResult, SimulationTask } from './engine/simulate.js';

export { createRetryPolicy } from './client/retry-policy.js';
export type { RetryPolicy, RetryPolicyOptions } from './client/retry-policy.js';

export { buildResult, parseResultJson, resultToJson, RESULT_SCHEMA, RESULT_SCHEMA_VERSION } from './report/result.js';
export type { FleetPlacement, RunResult, VariantResult, VariantScenario } from './report/result.js';
export { writeReport } from './report/write-report.js';
export type { WriteReportOptions, WrittenReport } from './report/write-report.js';
export { readResultFile, ResultFileError } from './report/result-file.js';
export { formatSummaryTable } from './report/summary-table.js';
export { renderMarkdownSummary } from './report/markdown.js';
export { renderHtmlReport } from './report/html.js';
export { loadChartLibrary } from './report/chart-library.js';
export type { ChartLibrary } from './report/chart-library.js';
export { CI_FORMATS, ciFiles, toBmf, toGab } from './report/ci-formats.js';
export type { BmfDocument, BmfMetric, CiFile, CiFormat, GabEntry } from './report/ci-formats.js';
export { compareResults, parseTolerance } from './report/compare.js';
export type { CompareOptions, Comparison, ComparisonEntry, Verdict } from './report/compare.js';
export { estimateCost, REQUEST_CLASSES } from './report/cost.js';
export type { CostEstimate, CostScenario, RequestClass, RequestCost } from './report/cost.js';
export { DEFAULT_PRICES, PRICE_NAMES, PRICE_ROWS, resolvePrices } from './report/prices.js';
export type { PriceName, PriceOverrides, PriceRow, PriceTable } from './report/prices.js';
export { METRIC_NAMES } from './report/metric-catalog.js';
export type { Better, MetricRef } from './report/metric-catalog.js';
export { determinismOf, readMetric, resultPoints } from './report/metric-values.js';
export type { Determinism, MetricPoint } from './report/metric-values.js';
export { compileThresholds, parseCondition, parseThresholdKey, ThresholdError } from './report/threshold-grammar.js';
export type { CompiledThreshold, ThresholdCondition } from './report/threshold-grammar.js';
export { evaluateThresholds } from './report/thresholds.js';
export type { ThresholdOutcome } from './report/thresholds.js';
