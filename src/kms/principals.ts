/**
 * The principals callers act as, and their IAM identity policies, compiled when they are put. A caller names itself
 * by ARN (`CallContext.principal`); a caller that names none is the account root of its account. A principal nobody
 * put has no identity policies: only a key policy naming it directly lets it in, as for a real role with no policy
 * attached. An assumed-role session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) carries its role's policies.
 */
import { KmsError } from './errors.js';
import { compilePolicy, type CompiledPolicy } from './policy-compile.js';
import type { Principal } from './policy-request.js';

/** A principal and its IAM identity policies (JSON text or parsed objects), as given to the model. */
export interface PrincipalSeed {
  /** An IAM user or role ARN (`arn:aws:iam::111122223333:role/app`), an assumed-role ARN, or an account root ARN. */
  readonly arn: string;
  /** IAM identity policy documents attached to the principal. */
  readonly policies?: readonly (string | object)[];
}

const PRINCIPAL_ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(.+)$/;
/** Principals met but never put, remembered up to this many (a caller inventing ARNs must not grow the model). */
const UNKNOWN_MAX = 4096;

interface ArnParts {
  readonly accountId: string;
  readonly isRoot: boolean;
  readonly principalArn: string;
}

function parseArn(arn: string): ArnParts | undefined {
  const match = PRINCIPAL_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition, service, accountId, resource] = match as unknown as [string, string, string, string, string];
  if (service === 'iam') {
    if (resource === 'root') return { accountId, isRoot: true, principalArn: arn };
    return /^(user|role)\/.+/.test(resource) ? { accountId, isRoot: false, principalArn: arn } : undefined;
  }
  const session = /^assumed-role\/([^/]+)\/.+$/.exec(resource);
  if (session === null) return undefined;
  return { accountId, isRoot: false, principalArn: `arn:${partition}:iam::${accountId}:role/${session[1] as string}` };
}

/** The account a principal ARN belongs to, or undefined when it is not a principal ARN. */
export function principalAccount(arn: string): string | undefined {
  return PRINCIPAL_ARN.exec(arn)?.[3];
}

function unrecognized(arn: string): KmsError {
  const shown = arn.length > 256 ? `${arn.slice(0, 256)}…` : arn;
  return new KmsError(
    'UnrecognizedClientException',
    `The security token included in the request is invalid: ${JSON.stringify(shown)} is not an IAM user, role, assumed-role or root ARN.`,
  );
}

function makePrincipal(arn: string, parts: ArnParts, identity: readonly CompiledPolicy[]): Principal {
  return {
    arn,
    accountId: parts.accountId,
    isRoot: parts.isRoot,
    principalArn: parts.principalArn,
    identity,
    allowsAll: identity.some((policy) => policy.allowsAll) && identity.every((policy) => policy.denies.size === 0),
  };
}

/** The principals of one model. */
export class PrincipalRegistry {
  readonly #put = new Map<string, Principal>();
  readonly #met = new Map<string, Principal>();
  readonly #roots = new Map<string, Principal>();
  #lastArn: string | undefined;
  #last: Principal | undefined;

  /** Adds a principal or replaces its identity policies; throws `MalformedPolicyDocumentException` for a bad one. */
  put(seed: PrincipalSeed): Principal {
    if (seed === null || typeof seed !== 'object' || typeof seed.arn !== 'string') throw new TypeError('a principal needs an arn');
    const parts = parseArn(seed.arn);
    if (parts === undefined) throw unrecognized(seed.arn);
    const identity = (seed.policies ?? []).map((policy, i) => {
      try {
        return compilePolicy(policy, 'identity');
      } catch (error) {
        if (error instanceof KmsError) throw new KmsError(error.name, `policies[${i}]: ${error.message}`);
        throw error;
      }
    });
    const principal = makePrincipal(seed.arn, parts, identity);
    this.#put.set(seed.arn, principal);
    // Sessions of this role, met before, carry the old policies: forget them, and the one-entry cache.
    this.#met.clear();
    this.#roots.clear();
    this.#lastArn = undefined;
    this.#last = undefined;
    return principal;
  }

  /** The principal an ARN names; `UnrecognizedClientException` when it is no principal ARN. */
  get(arn: string): Principal {
    if (arn === this.#lastArn && this.#last !== undefined) return this.#last;
    const principal = this.#put.get(arn) ?? this.#met.get(arn) ?? this.#meet(arn);
    this.#lastArn = arn;
    this.#last = principal;
    return principal;
  }

  /** The account root of `accountId`. */
  root(accountId: string): Principal {
    let root = this.#roots.get(accountId);
    if (root === undefined) {
      const arn = `arn:aws:iam::${accountId}:root`;
      root = this.#put.get(arn) ?? makePrincipal(arn, { accountId, isRoot: true, principalArn: arn }, []);
      this.#roots.set(accountId, root);
    }
    return root;
  }

  #meet(arn: string): Principal {
    const parts = parseArn(arn);
    if (parts === undefined) throw unrecognized(arn);
    // A session inherits its role's identity policies.
    const role = parts.principalArn === arn ? undefined : this.#put.get(parts.principalArn);
    const principal = makePrincipal(arn, parts, role?.identity ?? []);
    if (this.#met.size >= UNKNOWN_MAX) this.#met.clear();
    this.#met.set(arn, principal);
    return principal;
  }
}
