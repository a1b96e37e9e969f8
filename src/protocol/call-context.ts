/**
 * Who is calling and where, read from what a real KMS endpoint sees: the region from the host name the client
 * resolved (`kms.<region>.amazonaws.com`, `kms-fips.<region>…`, dual-stack `….api.aws`, China `….amazonaws.com.cn`,
 * VPC endpoints `vpce-….kms.<region>.vpce.amazonaws.com`), else from the SigV4 credential scope
 * (`Credential=AKID/<date>/<region>/kms/aws4_request`, which is what a client pointed at a custom endpoint signs
 * with); the calling account from the access key id, through a caller-supplied mapping.
 *
 * Signatures are not verified: the model has no secret keys. Regions are not checked here either: whatever the request
 * names is passed on, and the model refuses a region KMS does not have with `InvalidSignatureException`, as KMS does
 * (kms/callers.ts) — an empty scope region included, which KMS answers "…not ''" rather than defaulting.
 */
import { KmsError } from '../kms/errors.js';
import { principalAccount } from '../kms/principals.js';
import type { CallContext } from '../kms/types.js';

/** Region used when neither the host name nor a SigV4 scope names one. */
export const DEFAULT_REGION = 'us-east-1';

/** Options shared by the SDK request handler and the HTTP server. */
export interface CallContextOptions {
  /**
   * Maps the SigV4 access key id to the calling account, to simulate cross-account callers. Returning `undefined`
   * (or leaving this unset) lets the model use its own account.
   */
  readonly accountForAccessKey?: (accessKeyId: string) => string | undefined;
  /**
   * Maps the SigV4 access key id to the calling principal's ARN (`CallContext.principal`), so one `KMSClient` per
   * principal, each with its own access key, is all a caller writes. When it names a principal and
   * `accountForAccessKey` names no account, the calling account is the principal ARN's.
   */
  readonly principalForAccessKey?: (accessKeyId: string) => string | undefined;
  /** Region when the request names none (default `us-east-1`). */
  readonly defaultRegion?: string;
}

// AWS region names: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, eusc-de-east-1, ap-southeast-7, …
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/** The region in a KMS endpoint host name (the label after `kms` or `kms-fips`), or `undefined`. */
export function regionFromHostname(hostname: string | undefined): string | undefined {
  if (hostname === undefined || hostname === '') return undefined;
  const labels = hostname.toLowerCase().split('.');
  for (let i = 0; i + 1 < labels.length; i++) {
    const label = labels[i];
    if (label === 'kms' || label === 'kms-fips') {
      const region = labels[i + 1];
      if (region !== undefined && REGION.test(region)) return region;
    }
  }
  return undefined;
}

/** The text of the `Credential=` parameter of an `Authorization` header, or `undefined` when there is none. */
function credentialText(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const start = authorization.indexOf('Credential=');
  if (start < 0) return undefined;
  const from = start + 'Credential='.length;
  let end = authorization.indexOf(',', from);
  if (end < 0) end = authorization.length;
  return authorization.slice(from, end).trim();
}

/**
 * Access key id and region of a SigV4 `Authorization` header, or `undefined` when it has no well-formed credential
 * scope (`AKID/yyyymmdd/region/service/aws4_request`). Both are returned as written, empty or not: judging the region
 * is the model's job, the access key the account mapping's.
 */
export function parseSigV4Credential(
  authorization: string | undefined,
): { readonly accessKeyId: string; readonly region: string } | undefined {
  const parts = credentialText(authorization)?.split('/');
  if (parts === undefined || parts.length !== 5) return undefined;
  return { accessKeyId: parts[0] as string, region: parts[2] as string };
}

/**
 * KMS's answer to a `Credential=` that is not five slash-delimited elements (a region containing `/`, a secret key
 * pasted for the access key): IncompleteSignatureException, HTTP 400, in AWS's wording (as quoted from AWS's JSON
 * services in prometheus-community/yet-another-cloudwatch-exporter#169 and aws-cloudformation/cloudformation-cli#567).
 */
function malformedCredential(text: string): KmsError {
  const shown = text.length > 128 ? `${text.slice(0, 128)}…` : text;
  return new KmsError(
    'IncompleteSignatureException',
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${shown}'`,
  );
}

const HOST_CACHE_LIMIT = 256;

/** Resolves `CallContext`s; caches host-name lookups (a client talks to a handful of hosts). */
export class CallContextResolver {
  readonly #accountForAccessKey: ((accessKeyId: string) => string | undefined) | undefined;
  readonly #principalForAccessKey: ((accessKeyId: string) => string | undefined) | undefined;
  readonly #defaultRegion: string;
  readonly #hostRegions = new Map<string, string | undefined>();

  constructor(options: CallContextOptions = {}) {
    if (options.accountForAccessKey !== undefined && typeof options.accountForAccessKey !== 'function') {
      throw new TypeError('accountForAccessKey must be a function');
    }
    if (options.principalForAccessKey !== undefined && typeof options.principalForAccessKey !== 'function') {
      throw new TypeError('principalForAccessKey must be a function');
    }
    if (options.defaultRegion !== undefined && !REGION.test(options.defaultRegion)) {
      throw new TypeError(`defaultRegion must be an AWS region name, got ${JSON.stringify(options.defaultRegion)}`);
    }
    this.#accountForAccessKey = options.accountForAccessKey;
    this.#principalForAccessKey = options.principalForAccessKey;
    this.#defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  }

  #hostRegion(hostname: string | undefined): string | undefined {
    if (hostname === undefined) return undefined;
    if (this.#hostRegions.has(hostname)) return this.#hostRegions.get(hostname);
    const region = regionFromHostname(hostname);
    if (this.#hostRegions.size >= HOST_CACHE_LIMIT) this.#hostRegions.clear();
    this.#hostRegions.set(hostname, region);
    return region;
  }

  /**
   * The context of a request to `hostname` (no port) carrying `authorization`. A credential scope that is read (for
   * the region or the account) and malformed is an `IncompleteSignatureException`; one that is not read is not judged.
   */
  resolve(hostname: string | undefined, authorization: string | undefined): CallContext {
    const hostRegion = this.#hostRegion(hostname);
    const readCredential = hostRegion === undefined || this.#accountForAccessKey !== undefined || this.#principalForAccessKey !== undefined;
    const credential = readCredential ? parseSigV4Credential(authorization) : undefined;
    if (readCredential && credential === undefined) {
      const text = credentialText(authorization);
      if (text !== undefined) throw malformedCredential(text);
    }
    const region = hostRegion ?? credential?.region ?? this.#defaultRegion;
    if (credential === undefined) return { region };
    const principal = this.#principalForAccessKey?.(credential.accessKeyId);
    const accountId = this.#accountForAccessKey?.(credential.accessKeyId) ?? (principal === undefined ? undefined : principalAccount(principal));
    return { region, accountId, principal };
  }
}
