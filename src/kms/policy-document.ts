/**
 * The grammar of policy documents, checked the way KMS checks a key policy before storing it and IAM checks an
 * identity policy (IAM User Guide, "IAM JSON policy element reference" and "Grammar of the IAM JSON policy language";
 * KMS Developer Guide, "Key policies in AWS KMS"). Every problem is collected, each with its place in the document
 * (`Statement[1].Condition.StringEquals."kms:Foo"`), so a scenario names them all at once and the API answers
 * `MalformedPolicyDocumentException` with the same words.
 */
import { KMS_POLICY_VOCABULARY, type PolicyVocabulary } from './policy-condition-keys.js';
import { compileCondition } from './policy-operators.js';
import type { CompiledCondition, PolicyKind } from './policy-request.js';

export type { PolicyKind } from './policy-request.js';
export type { PolicyVocabulary } from './policy-condition-keys.js';

export interface PatternList {
  /** `NotAction` / `NotResource` / `NotPrincipal`: the statement applies to everything else. */
  readonly not: boolean;
  readonly values: readonly string[];
}

export interface ParsedStatement {
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: PatternList;
  readonly resources: PatternList;
  /** Key policies only: the `AWS` principals, `*` for everyone (other principal types are kept but match no caller). */
  readonly principals: PatternList | undefined;
  readonly conditions: readonly CompiledCondition[];
}

export interface ParsedPolicy {
  readonly statements: readonly ParsedStatement[];
  readonly problems: readonly string[];
}

const VERSIONS = ['2012-10-17', '2008-10-17'];
const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
/** An account id, the account root, an IAM user or role, or an STS assumed-role session (IAM User Guide, "Principal"). */
const AWS_PRINCIPAL = /^(\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws[a-z-]*:sts::\d{12}:assumed-role\/.+)$/;
const ACTION = /^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function quoted(text: string): string {
  return JSON.stringify(text);
}

/** A string or a non-empty array of strings, as Action, Resource and principal lists are written. */
function stringList(value: unknown, where: string, problems: string[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) problems.push(`${where} must not be empty`);
  const out: string[] = [];
  list.forEach((item, i) => {
    if (typeof item === 'string' && item !== '') out.push(item);
    else problems.push(`${Array.isArray(value) ? `${where}[${i}]` : where} must be a non-empty string`);
  });
  return out;
}

/** Condition values: strings, numbers or booleans (IAM reads them all as text), alone or in an array. */
function conditionValues(value: unknown, where: string, problems: string[]): string[] {
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of list) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
    else problems.push(`${where} must be a string, number or boolean, or a list of them`);
  }
  return out;
}

function parsePrincipals(value: unknown, where: string, problems: string[]): PatternList['values'] {
  if (value === '*') return ['*'];
  if (!isObject(value)) {
    problems.push(`${where} must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}`);
    return [];
  }
  const aws: string[] = [];
  for (const [type, names] of Object.entries(value)) {
    if (!PRINCIPAL_TYPES.has(type)) {
      problems.push(`${where}: unknown principal type ${quoted(type)} (AWS, Service, Federated or CanonicalUser)`);
      continue;
    }
    const list = stringList(names, `${where}.${type}`, problems);
    if (type !== 'AWS') continue;
    for (const name of list) {
      if (name === '*' || AWS_PRINCIPAL.test(name)) aws.push(name);
      else problems.push(`${where}.AWS: invalid principal ${quoted(name)} (an account id, an IAM ARN or "*")`);
    }
  }
  return aws;
}

function parseConditions(value: unknown, where: string, problems: string[], vocabulary: PolicyVocabulary): CompiledCondition[] {
  if (!isObject(value)) {
    problems.push(`${where} must be an object of operators`);
    return [];
  }
  const tests: CompiledCondition[] = [];
  for (const [operator, entries] of Object.entries(value)) {
    if (!isObject(entries)) {
      problems.push(`${where}.${operator} must be an object of condition keys`);
      continue;
    }
    for (const [keyName, raw] of Object.entries(entries)) {
      const at = `${where}.${operator}.${quoted(keyName)}`;
      const key = vocabulary.conditionKey(keyName);
      if (key === undefined) {
        problems.push(`${at}: unknown condition key ${keyName}`);
        continue;
      }
      const compiled = compileCondition(operator, key, conditionValues(raw, at, problems));
      if (typeof compiled === 'string') problems.push(`${where}.${operator}: ${compiled}`);
      else tests.push({ test: compiled, fixed: key.fixed === true });
    }
  }
  return tests;
}

function exactlyOne(statement: Record<string, unknown>, a: string, b: string, where: string, problems: string[]): PatternList | undefined {
  const hasA = statement[a] !== undefined;
  const hasB = statement[b] !== undefined;
  if (hasA === hasB) {
    problems.push(`${where} must have exactly one of ${a} or ${b}`);
    return undefined;
  }
  return { not: hasB, values: [] };
}

function parseStatement(raw: unknown, index: number, kind: PolicyKind, problems: string[], vocabulary: PolicyVocabulary): ParsedStatement | undefined {
  const where = `Statement[${index}]`;
  if (!isObject(raw)) {
    problems.push(`${where} must be an object`);
    return undefined;
  }
  for (const field of Object.keys(raw)) if (!STATEMENT_FIELDS.has(field)) problems.push(`${where}: unknown field ${quoted(field)}`);
  const before = problems.length;
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') problems.push(`${where}.Sid must be a string`);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') problems.push(`${where}.Effect must be "Allow" or "Deny"`);
  const actionForm = exactlyOne(raw, 'Action', 'NotAction', where, problems);
  const actionField = actionForm?.not === true ? 'NotAction' : 'Action';
  const actions = actionForm === undefined ? [] : stringList(raw[actionField], `${where}.${actionField}`, problems);
  for (const action of actions) {
    if (action !== '*' && !ACTION.test(action)) problems.push(`${where}.${actionField}: invalid action ${quoted(action)} (service:Action, e.g. kms:Encrypt)`);
  }
  const resourceForm = exactlyOne(raw, 'Resource', 'NotResource', where, problems);
  const resourceField = resourceForm?.not === true ? 'NotResource' : 'Resource';
  const resources = resourceForm === undefined ? [] : stringList(raw[resourceField], `${where}.${resourceField}`, problems);
  let principals: PatternList | undefined;
  if (kind !== 'identity') {
    const form = exactlyOne(raw, 'Principal', 'NotPrincipal', where, problems);
    const field = form?.not === true ? 'NotPrincipal' : 'Principal';
    if (form !== undefined) principals = { not: form.not, values: parsePrincipals(raw[field], `${where}.${field}`, problems) };
    // "NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported." (IAM User
    // Guide, "AWS JSON policy elements: NotPrincipal"): an Allow to everyone but a few is refused, not guessed at.
    if (form?.not === true && raw.Effect === 'Allow') problems.push(`${where}.NotPrincipal must be used with "Effect": "Deny"`);
  } else if (raw.Principal !== undefined || raw.NotPrincipal !== undefined) {
    problems.push(`${where}: an identity-based policy must not name a Principal`);
  }
  const conditions = raw.Condition === undefined ? [] : parseConditions(raw.Condition, `${where}.Condition`, problems, vocabulary);
  if (problems.length > before) return undefined;
  return {
    index,
    sid: raw.Sid as string | undefined,
    effect: raw.Effect as 'Allow' | 'Deny',
    actions: { not: actionForm?.not ?? false, values: actions },
    resources: { not: resourceForm?.not ?? false, values: resources },
    principals,
    conditions,
  };
}

/**
 * Parses and checks a policy document (JSON text or a parsed object) against a service's vocabulary (KMS's unless
 * given). `problems` is empty when it is well formed.
 */
export function parsePolicy(document: string | object, kind: PolicyKind, vocabulary: PolicyVocabulary = KMS_POLICY_VOCABULARY): ParsedPolicy {
  const problems: string[] = [];
  let parsed: unknown = document;
  if (typeof document === 'string') {
    try {
      parsed = JSON.parse(document);
    } catch (error) {
      return { statements: [], problems: [`the policy is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
    }
  }
  if (!isObject(parsed)) return { statements: [], problems: ['the policy must be a JSON object'] };
  for (const field of Object.keys(parsed)) if (!DOCUMENT_FIELDS.has(field)) problems.push(`unknown top-level field ${quoted(field)}`);
  if (parsed.Version !== undefined && !VERSIONS.includes(parsed.Version as string)) {
    problems.push(`Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(parsed.Version)}`);
  }
  if (parsed.Id !== undefined && typeof parsed.Id !== 'string') problems.push('Id must be a string');
  const raw = parsed.Statement;
  const list: unknown[] = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) problems.push('the policy must contain at least one Statement');
  const statements: ParsedStatement[] = [];
  list.forEach((statement, i) => {
    const one = parseStatement(statement, i, kind, problems, vocabulary);
    if (one !== undefined) statements.push(one);
  });
  return { statements, problems };
}

/**
 * Every problem with a policy document, empty when it is fine: malformed grammar, an unknown condition key or
 * operator, a value an operator cannot read — each named with its place in the document. A scenario validator calls
 * this to refuse a bad policy before a run starts; the API answers the same problems as
 * `MalformedPolicyDocumentException`.
 */
export function checkPolicyDocument(document: string | object, kind: PolicyKind, vocabulary?: PolicyVocabulary): readonly string[] {
  return parsePolicy(document, kind, vocabulary).problems;
}
