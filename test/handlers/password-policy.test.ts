// Handler tests of GET and PUT /company/password-policy through the whole middy pipeline, DynamoDB mocked at the
// document client: who may read and edit, the operator's feature gate, the validated ranges, and the audited save.
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import { handler as getPolicy } from '../../functions/get-password-policy/handler';
import { handler as putPolicy } from '../../functions/update-password-policy/handler';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, companyItem, signedInAs, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);

/** The default policy as PUT takes it: every setting, no maxLength (test/domain/password-policy.test.ts pins the values). */
const { maxLength: _fixed, ...SETTINGS } = DEFAULT_PASSWORD_POLICY;

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });
const general = () => adminItem({ adminId: GENERAL_ID, role: 'general' });
const enabled = (overrides: Record<string, unknown> = {}) => companyItem({ features: ['password-policy'], ...overrides });

const get = (authorization: string) => getPolicy(apiEvent('GET', '/company/password-policy', { headers: { Authorization: authorization } }), lambdaContext());
const put = (authorization: string, body: unknown) =>
  putPolicy(apiEvent('PUT', '/company/password-policy', { headers: { Authorization: authorization }, body, sourceIp: '198.51.100.23' }), lambdaContext());

describe('when any signed-in admin reads the policy', () => {
  it('answers 200 with the policy in force and the rules the screens show, not editable for a general admin', async () => {
    // Prepare
    const authorization = signedInAs(ddb, general(), { company: enabled() });

    // Act
    const result = await get(authorization);

    // Assess
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as { policy: Record<string, unknown>; editable: boolean; rules: { code: string; message: string }[] };
    expect(body.policy).toEqual({ ...SETTINGS, maxLength: 128 });
    expect(body.editable).toBe(false);
    expect(body.rules.map((rule) => rule.code)).toEqual(['TOO_SHORT', 'TOO_LONG', 'COMMON_PASSWORD', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE', 'SAME_AS_CURRENT']);
  });

  it('shows the saved settings, editable for a master of a company with the feature', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled({ passwordPolicy: { ...SETTINGS, minLength: 20, requireSymbol: true } }) });

    // Act
    const result = await get(authorization);

    // Assess
    expect(JSON.parse(result.body)).toMatchObject({ editable: true, policy: { minLength: 20, requireSymbol: true, maxLength: 128 } });
  });

  it('is not editable for a master whose company lacks the feature', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await get(authorization);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ editable: false });
  });
});

describe('when a master saves the policy', () => {
  it('answers 200 with the new policy and writes it with its PASSWORD_POLICY_CHANGED event in one transaction', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });
    const settings = { ...SETTINGS, minLength: 20, historyCount: 24, lockoutThreshold: 5 };

    // Act
    const result = await put(authorization, settings);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ editable: true, policy: { ...settings, maxLength: 128 } });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Update).toMatchObject({
      TableName: tables().directory,
      Key: { pk: `COMPANY#${COMPANY}`, sk: '#COMPANY' },
      ExpressionAttributeValues: { ':policy': settings },
    });
    expect(items[1]?.Put).toMatchObject({
      TableName: tables().audit,
      Item: {
        pk: `COMPANY#${COMPANY}`,
        type: 'PASSWORD_POLICY_CHANGED',
        actorAdminId: MASTER_ID,
        sourceIp: '198.51.100.23',
        userAgent: 'jest',
        details: { minLengthFrom: 15, minLengthTo: 20, historyCountFrom: 0, historyCountTo: 24, lockoutThresholdFrom: 10, lockoutThresholdTo: 5 },
      },
    });
  });

  it('answers 403 FEATURE_NOT_ENABLED, pointing to the inquiry form, when the operator has not enabled it', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await put(authorization, { ...SETTINGS, minLength: 20 });

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).code).toBe('FEATURE_NOT_ENABLED');
    expect(errorOf(result).message).toMatch(/inquiry form/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 403 OPERATOR_SETTING to switching off the common-password check', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });

    // Act
    const result = await put(authorization, { ...SETTINGS, blockCommonPasswords: false });

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result)).toMatchObject({ code: 'OPERATOR_SETTING', details: [expect.objectContaining({ field: 'blockCommonPasswords' })] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('when a company saved its settings before minGuessScore existed', () => {
  it('applies the default minimum score of 3 and shows the rule', async () => {
    // Prepare: the stored settings lack the new field
    const { minGuessScore: _new, ...older } = SETTINGS;
    const authorization = signedInAs(ddb, general(), { company: enabled({ passwordPolicy: { ...older, minLength: 20 } }) });

    // Act
    const result = await get(authorization);

    // Assess
    const body = JSON.parse(result.body) as { policy: Record<string, unknown>; rules: { code: string }[] };
    expect(body.policy).toMatchObject({ minLength: 20, minGuessScore: 3 });
    expect(body.rules.map((rule) => rule.code)).toContain('TOO_GUESSABLE');
  });
});

describe('when the settings are out of range', () => {
  it.each([
    ['minLength', 7],
    ['minLength', 129],
    ['lockoutThreshold', 2],
    ['lockoutThreshold', 101],
    ['historyCount', 25],
    ['minGuessScore', -1],
    ['minGuessScore', 5],
    ['maxAgeDays', 3651],
    ['lockoutMinutes', 0],
    ['temporaryPasswordValidityDays', 31],
    ['minLength', 15.5],
    ['requireDigit', 'yes'],
  ] as const)('answers 400 VALIDATION_FAILED naming %s for %p, and saves nothing', async (field, value) => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });

    // Act
    const result = await put(authorization, { ...SETTINGS, [field]: value });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field, code: 'INVALID' })]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('accepts the edges of every range', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });

    // Act
    const lowest = await put(authorization, { ...SETTINGS, minLength: 8, minGuessScore: 0, lockoutThreshold: 0, historyCount: 0, maxAgeDays: 0, lockoutMinutes: 1, temporaryPasswordValidityDays: 1 });
    const highest = await put(authorization, { ...SETTINGS, minLength: 128, minGuessScore: 4, lockoutThreshold: 100, historyCount: 24, maxAgeDays: 3650, lockoutMinutes: 1440, temporaryPasswordValidityDays: 30 });
    const lowestLockout = await put(authorization, { ...SETTINGS, lockoutThreshold: 3 });

    // Assess
    expect([lowest.statusCode, highest.statusCode, lowestLockout.statusCode]).toEqual([200, 200, 200]);
  });

  it('takes back the policy GET showed, with its read-only maxLength, and stores the settings alone', async () => {
    // Prepare: the read-change-write round trip of a client.
    const authorization = signedInAs(ddb, master(), { company: enabled() });
    const shown = (JSON.parse((await get(authorization)).body) as { policy: Record<string, unknown> }).policy;

    // Act
    const result = await put(authorization, { ...shown, minLength: 20 });

    // Assess
    expect(result.statusCode).toBe(200);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ExpressionAttributeValues?.[':policy']).toEqual({ ...SETTINGS, minLength: 20 });
    expect(items[1]?.Put?.Item?.details).toEqual({ minLengthFrom: 15, minLengthTo: 20 });
  });

  it('answers 400 READ_ONLY_FIELD for a changed maxLength, and saves nothing: the maximum is fixed', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });

    // Act
    const result = await put(authorization, { ...SETTINGS, maxLength: 64 });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'maxLength', code: 'READ_ONLY_FIELD' })] });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 naming a missing setting', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master(), { company: enabled() });
    const { historyCount: _missing, ...incomplete } = SETTINGS;

    // Act
    const result = await put(authorization, incomplete);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'historyCount' })]);
  });
});

describe('when the caller may not edit the policy', () => {
  it('answers 403 FORBIDDEN to a general admin, before judging the body', async () => {
    // Prepare
    const authorization = signedInAs(ddb, general(), { company: enabled() });

    // Act
    const result = await put(authorization, { ...SETTINGS, minLength: 7 });

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 401 without a session', async () => {
    // Act
    const result = await putPolicy(apiEvent('PUT', '/company/password-policy', { body: SETTINGS }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(401);
    expect(ddb.calls()).toHaveLength(0);
  });
});
