/**
 * Condition operators, compiled into closures over the request (IAM User Guide, "IAM JSON policy elements: Condition
 * operators", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html,
 * and "Conditions with multiple context keys or values", reference_policies_multi-value-conditions.html):
 *
 * - several values for one key are ORed; for a negated operator (StringNotEquals, ArnNotLike, …) they are NORed;
 * - a key absent from the request makes a condition false, except a negated operator (true), `…IfExists` (true) and
 *   `Null` (which tests presence);
 * - `ForAnyValue:` is true when some request value matches (false for an absent or empty set), `ForAllValues:` when
 *   every request value does (true for an absent or empty set); a multivalued key without a qualifier is read as
 *   `ForAnyValue:`;
 * - String* values are case-sensitive (`…IgnoreCase` aside); `…Like` and the Arn operators take `*` and `?` wildcards,
 *   the Arn operators per colon-delimited ARN component; Bool compares `true`/`false` without case.
 *
 * Date, IP address and Binary operators are IAM operators for which no KMS request has a key: they are refused by name.
 */
import { wildcardMatcher } from './policy-actions.js';
import type { ConditionKeyDef, ConditionKeyType } from './policy-condition-keys.js';
import type { ConditionTest } from './policy-request.js';

export type { ConditionTest } from './policy-request.js';

type Family = 'string' | 'numeric' | 'bool' | 'arn' | 'null';

interface OperatorDef {
  readonly family: Family;
  readonly negated: boolean;
  /** The positive test of one request value against the policy's values (compiled once). */
  readonly compile: (values: readonly string[]) => ((value: string) => boolean) | string;
}

function anyOf(tests: readonly ((value: string) => boolean)[]): (value: string) => boolean {
  if (tests.length === 1) return tests[0] as (value: string) => boolean;
  return (value) => tests.some((test) => test(value));
}

const equalsAny = (values: readonly string[]): ((value: string) => boolean) => {
  if (values.length === 1) {
    const only = values[0];
    return (value) => value === only;
  }
  const set = new Set(values);
  return (value) => set.has(value);
};
const equalsAnyIgnoreCase = (values: readonly string[]): ((value: string) => boolean) => {
  const set = new Set(values.map((v) => v.toLowerCase()));
  return (value) => set.has(value.toLowerCase());
};
const likeAny = (values: readonly string[]): ((value: string) => boolean) => anyOf(values.map((v) => wildcardMatcher(v)));

/**
 * ArnLike/ArnEquals: each of the six colon-delimited components matched on its own, so a wildcard in the region or
 * account never spans a colon; the resource part keeps its colons. Compiled to one regular expression per pattern.
 */
function arnPattern(pattern: string): RegExp | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6) return undefined;
  const literal = (text: string): string => text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const component = (text: string, any: string, one: string): string => literal(text).replace(/\*/g, any).replace(/\?/g, one);
  const head = parts.slice(0, 5).map((part) => component(part, '[^:]*', '[^:]'));
  const resource = component(parts.slice(5).join(':'), '.*', '.');
  return new RegExp(`^${head.join(':')}:${resource}$`, 's');
}
const arnLikeAny = (values: readonly string[]): ((value: string) => boolean) | string => {
  const matchers: ((value: string) => boolean)[] = [];
  for (const pattern of values) {
    if (pattern === '*') {
      matchers.push(() => true);
      continue;
    }
    const regex = arnPattern(pattern);
    if (regex === undefined) return `"${pattern}" is not an ARN (arn:partition:service:region:account:resource)`;
    matchers.push((value) => regex.test(value));
  }
  return anyOf(matchers);
};

type Compare = (a: number, b: number) => boolean;
const numeric =
  (compare: Compare) =>
  (values: readonly string[]): ((value: string) => boolean) | string => {
    const numbers = values.map(Number);
    const bad = values.find((v, i) => v.trim() === '' || !Number.isFinite(numbers[i]));
    if (bad !== undefined) return `"${bad}" is not a number`;
    return (value) => {
      const n = Number(value);
      return Number.isFinite(n) && numbers.some((limit) => compare(n, limit));
    };
  };

const boolean = (values: readonly string[]): ((value: string) => boolean) | string => {
  const lower = values.map((v) => v.toLowerCase());
  const bad = values.find((_, i) => lower[i] !== 'true' && lower[i] !== 'false');
  if (bad !== undefined) return `"${bad}" is not true or false`;
  return (value) => lower.includes(value.toLowerCase());
};

const OPERATORS: Readonly<Record<string, OperatorDef>> = {
  StringEquals: { family: 'string', negated: false, compile: equalsAny },
  StringNotEquals: { family: 'string', negated: true, compile: equalsAny },
  StringEqualsIgnoreCase: { family: 'string', negated: false, compile: equalsAnyIgnoreCase },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, compile: equalsAnyIgnoreCase },
  StringLike: { family: 'string', negated: false, compile: likeAny },
  StringNotLike: { family: 'string', negated: true, compile: likeAny },
  NumericEquals: { family: 'numeric', negated: false, compile: numeric((a, b) => a === b) },
  NumericNotEquals: { family: 'numeric', negated: true, compile: numeric((a, b) => a === b) },
  NumericLessThan: { family: 'numeric', negated: false, compile: numeric((a, b) => a < b) },
  NumericLessThanEquals: { family: 'numeric', negated: false, compile: numeric((a, b) => a <= b) },
  NumericGreaterThan: { family: 'numeric', negated: false, compile: numeric((a, b) => a > b) },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, compile: numeric((a, b) => a >= b) },
  Bool: { family: 'bool', negated: false, compile: boolean },
  ArnEquals: { family: 'arn', negated: false, compile: arnLikeAny },
  ArnLike: { family: 'arn', negated: false, compile: arnLikeAny },
  ArnNotEquals: { family: 'arn', negated: true, compile: arnLikeAny },
  ArnNotLike: { family: 'arn', negated: true, compile: arnLikeAny },
  Null: { family: 'null', negated: false, compile: boolean },
};

/** IAM operators with no KMS condition key to test: named in the refusal instead of "unknown". */
const NO_KMS_KEY = /^(Date(Not)?Equals|DateLessThan(Equals)?|DateGreaterThan(Equals)?|(Not)?IpAddress|BinaryEquals)$/;

/** Which key types each operator family may test (IAM lets String operators read any key as text). */
const FAMILY_TYPES: Readonly<Record<Family, readonly ConditionKeyType[]>> = {
  string: ['string', 'arn', 'bool', 'numeric'],
  arn: ['arn'],
  numeric: ['numeric'],
  bool: ['bool'],
  null: ['string', 'arn', 'bool', 'numeric'],
};


/**
 * Compiles one `Operator: { key: values }` entry, or returns the problem with it (unknown operator or qualifier, an
 * operator that cannot test that key, a value the operator cannot read).
 */
export function compileCondition(operator: string, key: ConditionKeyDef, values: readonly string[]): ConditionTest | string {
  let base = operator;
  let qualifier: 'any' | 'all' | undefined;
  const colon = operator.indexOf(':');
  if (colon >= 0) {
    const prefix = operator.slice(0, colon);
    if (prefix === 'ForAnyValue') qualifier = 'any';
    else if (prefix === 'ForAllValues') qualifier = 'all';
    else return `unknown condition operator qualifier "${prefix}" (ForAnyValue or ForAllValues)`;
    base = operator.slice(colon + 1);
  }
  const ifExists = base.endsWith('IfExists') && base !== 'IfExists';
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  const def = OPERATORS[base];
  if (def === undefined) {
    if (NO_KMS_KEY.test(base)) return `condition operator ${operator} has no KMS condition key to test`;
    return `unknown condition operator ${operator}`;
  }
  if (def.family === 'null' && (ifExists || qualifier !== undefined)) return `condition operator ${operator} is not valid: Null takes no qualifier or IfExists`;
  if (!FAMILY_TYPES[def.family].includes(key.type)) return `condition operator ${operator} cannot test ${key.name} (a ${key.type} key)`;
  if (values.length === 0) return `condition ${operator} on ${key.name} has no values`;
  const compiled = def.compile(values);
  if (typeof compiled === 'string') return `condition ${operator} on ${key.name}: ${compiled}`;
  const get = key.get;
  if (def.family === 'null') {
    const wantAbsent = compiled('true');
    return (r) => isAbsent(get(r)) === wantAbsent;
  }
  const negated = def.negated;
  const test = negated ? (value: string): boolean => !compiled(value) : compiled;
  const mode = qualifier ?? (key.multivalued ? 'any' : undefined);
  if (mode === 'any') {
    // A missing key makes a negated operator true (IAM User Guide, "Condition operators": "If the policy condition
    // requires that the key is not matched, such as StringNotLike …, and the right key is not present, the condition
    // is true"), unless the operator asked for ForAnyValue explicitly, which is false of an empty set.
    const onAbsent = ifExists || (negated && qualifier === undefined);
    return (r) => {
      const got = get(r);
      if (isAbsent(got)) return onAbsent;
      return typeof got === 'string' ? test(got) : (got as readonly string[]).some(test);
    };
  }
  if (mode === 'all') {
    return (r) => {
      const got = get(r);
      if (isAbsent(got)) return true;
      return typeof got === 'string' ? test(got) : (got as readonly string[]).every(test);
    };
  }
  return (r) => {
    const got = get(r);
    if (got === undefined) return ifExists || negated;
    return typeof got === 'string' ? test(got) : got.some(test);
  };
}

function isAbsent(value: string | readonly string[] | undefined): boolean {
  return value === undefined || (typeof value !== 'string' && value.length === 0);
}
