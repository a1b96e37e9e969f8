/**
 * The numbers behind the work estimate (work-estimate.ts) and the budgets `kms-bench run` refuses past
 * (src/api/run-budget.ts), in one table, each with where it comes from. An estimate only has to tell a run of minutes
 * from one of years, so the figures are round and on the cautious side of what `docs/PERFORMANCE.md` measured on a
 * 2-vCPU VM (Node 20); a faster machine runs a little ahead of them.
 *
 * | figure | value | source |
 * |---|---|---|
 * | virtual, event-driven, `crypto: off` | 1 µs a request (~1 M/s per core) | PERFORMANCE.md: 1.33–1.37 M req/s |
 * | virtual, event-driven, `crypto: real` | 6.5 µs (~150 k/s) | PERFORMANCE.md: 165–191 k req/s |
 * | virtual, promise-driven, `crypto: off` | 4 µs (~250 k/s) | PERFORMANCE.md: 292–325 k req/s |
 * | virtual, promise-driven, `crypto: real` | 10 µs (~100 k/s) | assumption: the promise driver's cost plus the cipher |
 * | wall clock, one worker, direct client | 12 µs (~83 k/s per worker) | PERFORMANCE.md engine bench: 83,200 ops/s |
 * | real `KMSClient` call (either clock) | 250 µs (~4 k/s per core) | PERFORMANCE.md: 246 µs per call |
 * | Encryption SDK message | 3.5 ms signed, 1 ms unsigned | PERFORMANCE.md: 2.7–4.5 ms / 0.45–1.3 ms |
 * | envelope operation (own work) | 50 µs + 0.4 ns a payload byte | profile of envelopeEncrypt, AES-GCM 1 MiB in ~400 µs |
 * | RSA private / public op, real crypto | 430 / 40 µs | PERFORMANCE.md: RSA_2048 Decrypt 429 µs; public ≈ 1/10 (assumption) |
 * | ECDSA sign / verify, real crypto | 35 / 70 µs | PERFORMANCE.md: P-256 Sign 33.5 µs; verify ≈ 2× (assumption) |
 * | worker thread | 32 MiB, ~1 s of CPU to start | 8 workers vs 1: +167 MB RSS, +6.7 s on 2 busy cores |
 * | main process | 128 MiB | a 1-worker run of a small scenario: 119 MB RSS |
 * | closed client, event-driven simulation | 600 B | 100,000 clients: +52 MB RSS |
 * | closed client or in-flight op, promises / wall | 6 KiB | 60,000 clients promise-driven: +280 MB RSS |
 * | closed client or in-flight op, envelope | 16 KiB | 100,000 envelope clients: 1.75 GB RSS |
 * | closed client or in-flight op, SDK | 32 KiB | assumption: the SDK's middleware context per request |
 * | a timeline (one series, one second) | 64 B main, 12 B per thread | 1,000 h run: 1.15 GB RSS for 3.6e6 s of ~8 series, with report strings |
 * | result.json per timeline number | 11 B | 274 MB for 3.6e6 s × 7 numbers (2-space indented JSON: one number a line) |
 *
 * Budgets (defaults; `--max-requests N` sets the first, `--allow-large` lifts the first three):
 *
 * | budget | default | why |
 * |---|---|---|
 * | requests | 2e9 | ~33 min on one core on the fastest path; 5× `scenarios/fleet-hour.yaml` (3.8e8 attempts, 7.5 min) |
 * | wall time | 24 h | a day-long soak still runs; a run of weeks or years is a typo |
 * | memory | half the machine's memory, at most 4 GiB | leaves room for the OS and the rest of a CI job |
 * | result.json | 512 MiB (not liftable) | V8's longest string (2^29 − 24 characters): a bigger report cannot be written |
 * | threads | one per core; `--oversubscribe` 8 per core (not liftable beyond) | more threads add start-up and memory, not throughput |
 */

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** Microseconds of one core per logical request (see the table above). */
export const US_PER_REQUEST = {
  simEventsCryptoOff: 1,
  simEventsCryptoReal: 6.5,
  simPromisesCryptoOff: 4,
  simPromisesCryptoReal: 10,
  wallDirect: 12,
  sdkCall: 250,
  esdkSigned: 3_500,
  esdkUnsigned: 1_000,
  envelope: 50,
  envelopePerPayloadByte: 0.0004,
  rsaPrivate: 430,
  rsaPublic: 40,
  eccSign: 35,
  eccVerify: 70,
} as const;

/** Bytes of memory per unit (see the table above). */
export const BYTES = {
  workerThread: 32 * MIB,
  mainProcess: 128 * MIB,
  clientEvents: 600,
  clientPromises: 6 * KIB,
  clientEnvelope: 16 * KIB,
  clientSdk: 32 * KIB,
  timelineMainPerSeriesSecond: 64,
  timelineThreadPerSeriesSecond: 12,
  resultJsonPerNumber: 11,
} as const;

/** CPU seconds a worker thread takes to start (load the harness and the SDK). */
export const WORKER_START_CPU_SECONDS = 1;

/** Default budgets; see the table above. */
export const BUDGET_DEFAULTS = {
  maxRequests: 2e9,
  maxWallSeconds: 24 * 3600,
  maxMemoryBytes: 4 * GIB,
  /** The share of the machine's memory a run may plan to use. */
  memoryShare: 0.5,
} as const;

/** V8's longest string, 2^29 − 24 characters on 64-bit Node 20: result.json must fit in one. */
export const MAX_RESULT_JSON_BYTES = 2 ** 29 - 24;

/** Worker threads per core `--oversubscribe` allows; never more. */
export const MAX_THREADS_PER_CORE = 8;

/**
 * An offered rate this many times what the workers can drive is said up front: below it the open loop keeps up or
 * falls a little behind (reported as late requests); above it the run outlasts its duration.
 */
export const OVERLOAD_NOTE_RATIO = 10;
