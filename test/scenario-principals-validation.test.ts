import { describe, expect, test } from 'vitest';
import { loadScenarioFile, scenarioHash, ScenarioError, validateScenario } from '../src/scenario/index.js';
import { canonicalJson } from '../src/scenario/hash.js';

const APP = 'arn:aws:iam::111122223333:role/app';
const OPS = 'arn:aws:iam::111122223333:role/ops';
const ALLOW_ENCRYPT = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] };

interface Parts {
  readonly principals?: unknown;
  readonly keyPolicy?: unknown;
  readonly fleet?: Record<string, unknown>;
  readonly model?: unknown;
}

/** One key `app`, one fleet `web`; the parts under test spliced in (absent parts are left out, not undefined). */
function documentWith(parts: Parts = {}): Record<string, unknown> {
  return {
    name: 't',
    duration: '10s',
    ...(parts.model === undefined ? {} : { model: parts.model }),
    ...(parts.principals === undefined ? {} : { principals: parts.principals }),
    keys: [{ name: 'app', region: 'us-east-1', ...(parts.keyPolicy === undefined ? {} : { policy: parts.keyPolicy }) }],
    fleets: [
      { name: 'web', region: 'us-east-1', workload: { model: 'open', arrivalRate: 10 }, mix: [{ op: 'Encrypt', key: 'app' }], ...parts.fleet },
    ],
  };
}

/** The problems of a document as `path: message` lines. */
function problemsOf(document: Record<string, unknown>): string[] {
  try {
    validateScenario(document);
  } catch (error) {
    if (error instanceof ScenarioError) return error.lines();
    throw error;
  }
  throw new Error('the scenario was valid');
}

describe('principals, fleet principals and key policies: accepted', () => {
  test('a principal with an IAM policy as an object and as JSON text, named by a fleet and a key-user/key-admin template', () => {
    const scenario = validateScenario(
      documentWith({
        principals: { app: { arn: APP, policies: [ALLOW_ENCRYPT, JSON.stringify(ALLOW_ENCRYPT)] }, ops: { arn: OPS } },
        keyPolicy: { template: 'key-user-admin', users: ['app'], admins: ['ops', 'arn:aws:iam::111122223333:user/alice'] },
        fleet: { principal: 'app' },
      }),
    );
    expect(scenario.principals).toEqual({
      app: { arn: APP, policies: [JSON.stringify(ALLOW_ENCRYPT), JSON.stringify(ALLOW_ENCRYPT)] },
      ops: { arn: OPS, policies: [] },
    });
    expect(scenario.fleets[0]).toMatchObject({ principal: 'app', account: '111122223333' });
    const policy = JSON.parse(scenario.keys[0]?.policy ?? '{}') as { Statement: { Principal: { AWS: unknown } }[] };
    const named = policy.Statement.map((s) => s.Principal.AWS);
    expect(named).toEqual(['arn:aws:iam::111122223333:root', [OPS, 'arn:aws:iam::111122223333:user/alice'], [APP]]);
  });

  test('a key policy given as JSON text is kept exactly as written (GetKeyPolicy returns what the user wrote)', () => {
    const text = '{ "Version": "2012-10-17",\n  "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "111122223333" }, "Action": "kms:*", "Resource": "*" }] }';
    expect(validateScenario(documentWith({ keyPolicy: text })).keys[0]?.policy).toBe(text);
  });

  test('the principal account is the calling account: a fleet naming a principal of another account calls from it', () => {
    const scenario = validateScenario(
      documentWith({ principals: { partner: { arn: 'arn:aws:iam::444455556666:role/partner' } }, fleet: { principal: 'partner' } }),
    );
    expect(scenario.fleets[0]?.account).toBe('444455556666');
  });

  test('a scenario without the new fields keeps its hash; policy: default and empty principals are the same settings', async () => {
    const plain = validateScenario(documentWith());
    expect(Object.keys(plain)).not.toContain('principals');
    expect(Object.keys(plain.keys[0] ?? {})).not.toContain('policy');
    expect(Object.keys(plain.fleets[0] ?? {})).not.toContain('principal');
    expect(plain.model).toEqual({ crypto: 'real' });
    const spelledOut = validateScenario(documentWith({ principals: {}, keyPolicy: 'default', model: { chargeDenied: false } }));
    expect(scenarioHash(spelledOut)).toBe(scenarioHash(plain));
    // A shipped scenario's settings carry none of the new fields: its hash is the one it had before they existed.
    const shipped = await loadScenarioFile('scenarios/default.yaml');
    const { document: _document, ...settings } = shipped;
    expect(canonicalJson(settings)).not.toMatch(/principal|chargeDenied/);
    expect(shipped.keys.filter((key) => 'policy' in key)).toEqual([]);
    expect(scenarioHash(validateScenario(documentWith({ model: { chargeDenied: true } })))).not.toBe(scenarioHash(plain));
  });
});

describe('principals, fleet principals and key policies: refused at their paths', () => {
  test('an unknown principal name, with a suggestion, in a fleet and in a template', () => {
    const problems = problemsOf(
      documentWith({
        principals: { app: { arn: APP } },
        keyPolicy: { template: 'key-user-admin', users: ['apps'], admins: ['nobody'] },
        fleet: { principal: 'ap' },
      }),
    );
    expect(problems).toEqual([
      'keys[0].policy.users[0]: unknown principal "apps" (did you mean "app"?); principals are app; name a principal or give an IAM ARN',
      'keys[0].policy.admins[0]: unknown principal "nobody"; principals are app; name a principal or give an IAM ARN',
      'fleets[0].principal: unknown principal "ap" (did you mean "app"?); principals are app',
    ]);
    expect(problemsOf(documentWith({ fleet: { principal: 'app' } }))).toEqual([
      'fleets[0].principal: unknown principal "app": the scenario has no principals',
    ]);
  });

  test('a principal that is not an IAM ARN, a bad principal name, and a template ARN that is not one', () => {
    const problems = problemsOf(
      documentWith({
        principals: { app: { arn: 'arn:aws:iam::1111:role/app' }, 'bad.name': { arn: OPS }, s3: { arn: 'arn:aws:s3:::bucket' } },
        keyPolicy: { template: 'key-user-admin', users: ['arn:aws:iam::111122223333:group/devs'] },
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^principals\.app\.arn: "arn:aws:iam::1111:role\/app" is not an IAM principal ARN/);
    expect(problems.some((p) => p.startsWith('principals') && p.includes('"bad.name" is not a valid principal name'))).toBe(true);
    expect(problems.some((p) => p.startsWith('principals.s3.arn: "arn:aws:s3:::bucket" is not an IAM principal ARN'))).toBe(true);
    expect(problems).toContainEqual(expect.stringMatching(/^keys\[0\]\.policy\.users\[0\]: "arn:aws:iam::111122223333:group\/devs" is not an IAM/));
  });

  test("a fleet account that contradicts its principal's account", () => {
    const problems = problemsOf(documentWith({ principals: { app: { arn: APP } }, fleet: { principal: 'app', account: '444455556666' } }));
    expect(problems).toEqual([
      'fleets[0].account: 444455556666 contradicts principal "app", of account 111122223333: a fleet calls from its ' +
        "principal's account (charged and throttled); leave account out or make them agree",
    ]);
  });

  test('policy documents the model refuses: malformed JSON, no statement, an unknown condition key, a bad template', () => {
    const unknownKey = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:NoSuchKey': 'x' } } }],
    };
    const problems = problemsOf(
      documentWith({
        principals: { app: { arn: APP, policies: ['{ "Version": ', unknownKey, 42] } },
        keyPolicy: { Version: '2012-10-17' },
      }),
    );
    expect(problems).toEqual([
      'principals.app.policies[0]: is not a JSON policy document: Unexpected end of JSON input',
      'principals.app.policies[1]: Statement[0].Condition.StringEquals."kms:NoSuchKey": unknown condition key kms:NoSuchKey',
      'principals.app.policies[2]: must be a policy document (an object with Version and Statement, or its JSON text), got 42',
      'keys[0].policy: the policy must contain at least one Statement',
    ]);
    expect(problemsOf(documentWith({ keyPolicy: 'defualt' }))).toEqual([
      'keys[0].policy: must be default, { template: key-user-admin, … } or a key policy document (an object, or its JSON text), got "defualt"',
    ]);
    expect(problemsOf(documentWith({ keyPolicy: { template: 'key-user', users: [] } }))).toEqual([
      'keys[0].policy.template: must be key-user-admin',
    ]);
    expect(problemsOf(documentWith({ keyPolicy: { template: 'key-user-admin' } }))).toEqual([
      'keys[0].policy.users: name at least one principal in users or admins',
    ]);
  });
});
