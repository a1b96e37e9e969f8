/**
 * AWS KMS prices as data: one row per price, each with its source. A scenario's `prices:` block overrides any row by
 * its name. Prices are those of us-east-1 as published on the AWS KMS pricing page (https://aws.amazon.com/kms/pricing/)
 * and transcribed in aws-kms-facts.md §7, checked late 2026; other regions may differ, which is what the override is for.
 *
 * A scenario's `prices:` block is checked against this table (report-fields.ts) and the cost model (src/report/cost.ts)
 * reads it; it sits here, below the report, so the scenario never imports the report. It is a leaf (no imports).
 */

/** The names of the prices and of the cost assumptions a scenario can override. */
export const PRICE_NAMES = [
  'keyMonthUsd',
  'rotationKeyMonthUsd',
  'billedRotationsMax',
  'keyRotations',
  'symmetricPer10kUsd',
  'rsa2048Per10kUsd',
  'asymmetricPer10kUsd',
  'dataKeyPairEccPer10kUsd',
  'dataKeyPairRsaPer10kUsd',
  'managementPer10kUsd',
  'freeRequestsPerMonth',
  'hoursPerMonth',
  'secretsManagerSecretMonthUsd',
  'secretsManagerPer10kUsd',
  'ssmAdvancedParameterMonthUsd',
  'ssmPer10kUsd',
  's3WritePer1kUsd',
  's3ReadPer1kUsd',
] as const;

/** A price (or cost assumption) name. */
export type PriceName = (typeof PRICE_NAMES)[number];

/** Every price, filled. */
export type PriceTable = Readonly<Record<PriceName, number>>;

/** A scenario's `prices:` block: any subset of the table. */
export type PriceOverrides = Readonly<Partial<Record<PriceName, number>>>;

/** One row of the price table. */
export interface PriceRow {
  readonly name: PriceName;
  readonly value: number;
  readonly unit: string;
  /** Whether the value must be a whole number (counts rather than money). */
  readonly integer: boolean;
  readonly description: string;
  readonly source: string;
}

const PRICING_PAGE = 'AWS KMS pricing, https://aws.amazon.com/kms/pricing/ (aws-kms-facts.md §7)';

/** The default price table, with sources. */
export const PRICE_ROWS: readonly PriceRow[] = [
  {
    name: 'keyMonthUsd',
    value: 1,
    unit: 'USD per key-month',
    integer: false,
    description: 'storage of a customer managed key (symmetric, asymmetric, HMAC, each multi-Region replica); keys pending deletion are free',
    source: `${PRICING_PAGE}: "$1/month (prorated hourly)"; "no charge for customer managed KMS keys that are scheduled for deletion"`,
  },
  {
    name: 'rotationKeyMonthUsd',
    value: 1,
    unit: 'USD per rotation per key-month',
    integer: false,
    description: 'each retained backing key from automatic or on-demand rotation',
    source: `${PRICING_PAGE}: "each newly generated backing key costs an additional $1/month"`,
  },
  {
    name: 'billedRotationsMax',
    value: 2,
    unit: 'rotations',
    integer: true,
    description: 'rotations after the second add no charge',
    source: `${PRICING_PAGE}: only the first two rotations are billed (since May 2024)`,
  },
  {
    name: 'keyRotations',
    value: 0,
    unit: 'rotations per key',
    integer: true,
    description: 'an assumption, not a price: how many times each scenario key has been rotated',
    source: 'kms-bench default: keys are new',
  },
  {
    name: 'symmetricPer10kUsd',
    value: 0.03,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'requests in the symmetric quota bucket (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*, GenerateRandom, HMAC)',
    source: `${PRICING_PAGE}: "$0.03 per 10,000 requests"`,
  },
  {
    name: 'rsa2048Per10kUsd',
    value: 0.03,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'requests with RSA_2048 keys (not in the free tier)',
    source: `${PRICING_PAGE}: "$0.03 per 10,000 requests involving RSA 2048 keys"`,
  },
  {
    name: 'asymmetricPer10kUsd',
    value: 0.15,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'requests with other asymmetric keys (RSA_3072, RSA_4096, ECC; not in the free tier)',
    source: `${PRICING_PAGE}: "$0.15 per 10,000 asymmetric requests except RSA 2048"`,
  },
  {
    name: 'dataKeyPairEccPer10kUsd',
    value: 0.1,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'GenerateDataKeyPair(WithoutPlaintext) for an ECC key pair spec (not in the free tier)',
    source: `${PRICING_PAGE}: "$0.10 per 10,000 ECC GenerateDataKeyPair requests"`,
  },
  {
    name: 'dataKeyPairRsaPer10kUsd',
    value: 12,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'GenerateDataKeyPair(WithoutPlaintext) for an RSA key pair spec (not in the free tier)',
    source: `${PRICING_PAGE}: "$12.00 per 10,000 RSA GenerateDataKeyPair requests"`,
  },
  {
    name: 'managementPer10kUsd',
    value: 0.03,
    unit: 'USD per 10,000 requests',
    integer: false,
    description: 'management API requests (DescribeKey, GetPublicKey, …), billed like symmetric requests and in the free tier',
    source: `${PRICING_PAGE}: API requests not priced separately are "$0.03 per 10,000 requests"`,
  },
  {
    name: 'freeRequestsPerMonth',
    value: 20_000,
    unit: 'requests per month',
    integer: true,
    description: 'free tier, summed across regions; asymmetric and GenerateDataKeyPair requests excluded',
    source: `${PRICING_PAGE}: "free tier of 20,000 requests/month calculated across all regions"`,
  },
  {
    name: 'hoursPerMonth',
    value: 730,
    unit: 'hours',
    integer: false,
    description: 'the month used to extrapolate per-second rates to a monthly bill',
    source: 'AWS pricing convention: 730 hours per month (AWS Pricing Calculator)',
  },
  // The services' own charges (src/services). aws-kms-facts.md §7 has KMS's prices only: these are the services'
  // pricing pages as kms-bench read them (us-east-1, late 2026); override them with `prices:` if yours differ.
  {
    name: 'secretsManagerSecretMonthUsd',
    value: 0.4,
    unit: 'USD per secret-month',
    integer: false,
    description: 'storage of a Secrets Manager secret (prorated for secrets kept less than a month)',
    source: 'AWS Secrets Manager pricing, https://aws.amazon.com/secrets-manager/pricing/: "$0.40 per secret per month"',
  },
  {
    name: 'secretsManagerPer10kUsd',
    value: 0.05,
    unit: 'USD per 10,000 API calls',
    integer: false,
    description: 'Secrets Manager API calls (GetSecretValue, DescribeSecret, PutSecretValue, CreateSecret, …); throttled calls not billed',
    source: 'AWS Secrets Manager pricing, https://aws.amazon.com/secrets-manager/pricing/: "$0.05 per 10,000 API calls"',
  },
  {
    name: 'ssmAdvancedParameterMonthUsd',
    value: 0.05,
    unit: 'USD per parameter-month',
    integer: false,
    description: 'storage of an advanced Parameter Store parameter (standard parameters are free)',
    source: 'AWS Systems Manager pricing, https://aws.amazon.com/systems-manager/pricing/, Parameter Store: "$0.05 per advanced parameter per month"',
  },
  {
    name: 'ssmPer10kUsd',
    value: 0.05,
    unit: 'USD per 10,000 API interactions',
    integer: false,
    description: 'Parameter Store API interactions with higher throughput on, or on advanced parameters (standard throughput on standard parameters is free)',
    source:
      'AWS Systems Manager pricing, https://aws.amazon.com/systems-manager/pricing/, Parameter Store: API interactions "$0.05 per 10,000" ' +
      'for higher throughput and for advanced parameters; "no additional charge" for standard parameters at standard throughput',
  },
  {
    name: 's3WritePer1kUsd',
    value: 0.005,
    unit: 'USD per 1,000 requests',
    integer: false,
    description: 'S3 Standard PUT, COPY, POST and LIST requests (s3:PutObject, s3:CopyObject, s3:multipartUpload counted once per operation)',
    source: 'Amazon S3 pricing, https://aws.amazon.com/s3/pricing/, Requests & data retrievals, S3 Standard: "PUT, COPY, POST, LIST requests (per 1,000 requests) $0.005"',
  },
  {
    name: 's3ReadPer1kUsd',
    value: 0.0004,
    unit: 'USD per 1,000 requests',
    integer: false,
    description: 'S3 Standard GET, SELECT and all other requests (s3:GetObject, s3:HeadObject)',
    source: 'Amazon S3 pricing, https://aws.amazon.com/s3/pricing/, Requests & data retrievals, S3 Standard: "GET, SELECT, and all other requests (per 1,000 requests) $0.0004"',
  },
];

/** The default prices by name. */
export const DEFAULT_PRICES: PriceTable = Object.fromEntries(PRICE_ROWS.map((row) => [row.name, row.value])) as PriceTable;

/** The default table with a scenario's overrides applied. */
export function resolvePrices(overrides: PriceOverrides = {}): PriceTable {
  const table: Record<PriceName, number> = { ...DEFAULT_PRICES };
  for (const name of PRICE_NAMES) {
    const value = overrides[name];
    if (value !== undefined) table[name] = value;
  }
  return table;
}
