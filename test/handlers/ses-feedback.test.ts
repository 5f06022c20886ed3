// Handler tests of the ses-feedback event function, DynamoDB mocked at the document client, fed SNS events carrying
// SES's notifications in the format its configuration set publishes: a permanent bounce or a complaint is one
// transaction (the company checked, the suppression put only if absent, its EMAIL_SUPPRESSED event); a transient
// bounce, an untagged email and a malformed message write nothing and end normally, so Lambda does not retry them;
// a failed write is thrown, so Lambda does.
import { jest } from '@jest/globals';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { FEEDBACK_LOG } from '../../functions/adapters/ses/feedback-notification';
import { logger } from '../../functions/http/logger';
import { handler } from '../../functions/ses-feedback/handler';
import { bounceNotification, complaintNotification, snsEvent } from '../support/ses-feedback';
import { lambdaContext } from './events';
import { COMPANY, GENERAL_ID, adminItem, storeAdmin, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  // Nothing is stored unless a test says so: no admin holds the address.
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

const invoke = (event: unknown) => handler(event as never, lambdaContext());

/** What the function logged, as [level, message, facts]. */
function logged(): [string, string, Record<string, unknown>][] {
  return (['info', 'warn'] as const).flatMap((level) =>
    (logger[level] as unknown as jest.Mock).mock.calls.map((call) => [level, call[0] as string, call[1] as Record<string, unknown>] as [string, string, Record<string, unknown>]),
  );
}

beforeEach(() => {
  jest.spyOn(logger, 'info');
  jest.spyOn(logger, 'warn');
});
afterEach(() => jest.restoreAllMocks());
const transactions = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
const TAGS = { companyId: COMPANY, purpose: 'password-reset' };

describe('when SES reports a permanent bounce of a typed address', () => {
  it('suppresses the address in the tagged company with its EMAIL_SUPPRESSED event, in one transaction', async () => {
    // Act
    await invoke(snsEvent(bounceNotification({ recipients: ['Typo@Example.org'], tags: TAGS, feedbackId: 'feedback-1', messageId: 'message-1' })));

    // Assess
    expect(logged()).toEqual([['info', FEEDBACK_LOG.recorded, expect.objectContaining({ companyId: COMPANY, suppressed: 1, alreadySuppressed: 0, feedbackId: 'feedback-1' })]]);
    // The log line carries counts and ids, never the address (the audit trail holds it).
    expect(JSON.stringify(logged())).not.toMatch(/typo@example\.org/i);
    expect(transactions()).toHaveLength(1);
    const [company, suppression, event] = transactions()[0]!;
    expect(company?.ConditionCheck).toMatchObject({ TableName: tables().directory, Key: { pk: `COMPANY#${COMPANY}`, sk: '#COMPANY' }, ConditionExpression: 'attribute_exists(pk)' });
    expect(suppression?.Put).toEqual({
      TableName: tables().directory,
      Item: {
        pk: `COMPANY#${COMPANY}`,
        sk: 'SUPPRESSED#typo@example.org',
        companyId: COMPANY,
        email: 'typo@example.org',
        reason: 'bounce',
        detail: 'General',
        purpose: 'password-reset',
        feedbackId: 'feedback-1',
        messageId: 'message-1',
        suppressedAt: '2026-11-27T10:00:02.669Z',
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(event?.Put).toMatchObject({
      TableName: tables().audit,
      Item: {
        type: 'EMAIL_SUPPRESSED',
        companyId: COMPANY,
        actorAdminId: null,
        targetAdminId: null,
        details: { email: 'typo@example.org', reason: 'bounce', registered: false, feedbackId: 'feedback-1', messageId: 'message-1' },
      },
    });
  });

  it('names the admin whose registered address bounced as the event’s target', async () => {
    // Prepare: the address is the registered email of an admin (its claim item points at him)
    const admin = adminItem({ adminId: GENERAL_ID, email: 'grace.hopper@acme.example' });
    storeAdmin(ddb, admin);
    ddb.on(GetCommand, { TableName: tables().directory, Key: { pk: `COMPANY#${COMPANY}`, sk: 'EMAIL#grace.hopper@acme.example' } }).resolves({ Item: { adminId: GENERAL_ID } });

    // Act
    await invoke(snsEvent(bounceNotification({ recipients: ['grace.hopper@acme.example'], tags: { companyId: COMPANY, purpose: 'password-change-notice' } })));

    // Assess
    expect(transactions()[0]?.[2]?.Put?.Item).toMatchObject({ type: 'EMAIL_SUPPRESSED', targetAdminId: GENERAL_ID, details: { registered: true, purpose: 'password-change-notice' } });
  });
});

describe('when SES reports a complaint', () => {
  it('suppresses the complaining address as a complaint, with its feedback type', async () => {
    await invoke(snsEvent(complaintNotification({ recipients: ['angry@example.org'], tags: TAGS })));

    expect(transactions()[0]?.[1]?.Put?.Item).toMatchObject({ sk: 'SUPPRESSED#angry@example.org', reason: 'complaint', detail: 'abuse' });
  });
});

describe('when the same notification arrives twice', () => {
  it('ends normally when the address is suppressed already, having stored nothing more', async () => {
    // Prepare: the suppression item exists, so its put's condition fails and the transaction stores nothing
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    // Act
    const outcome = invoke(snsEvent(bounceNotification({ recipients: ['typo@example.org'], tags: TAGS })));

    // Assess
    await expect(outcome).resolves.toBeUndefined();
    expect(transactions()).toHaveLength(1);
  });
});

describe('when the feedback changes nothing', () => {
  it.each([
    ['a transient bounce (a full mailbox)', bounceNotification({ recipients: ['full@example.org'], tags: TAGS, bounceType: 'Transient' })],
    ['an undetermined bounce', bounceNotification({ recipients: ['maybe@example.org'], tags: TAGS, bounceType: 'Undetermined' })],
    ['a bounce of an email sent without a company tag', bounceNotification({ recipients: ['typo@example.org'] })],
    ['a company tag that is no company id', bounceNotification({ recipients: ['typo@example.org'], tags: { companyId: 'Not A Company!' } })],
    ['an identity notification (notificationType, which carries no tags)', { ...bounceNotification({ recipients: ['typo@example.org'] }), eventType: undefined, notificationType: 'Bounce' }],
    ['a delivery event', { eventType: 'Delivery', mail: { messageId: 'm' }, delivery: { recipients: ['ok@example.org'] } }],
    ['SES’s subscription test', { notificationType: 'AmazonSnsSubscriptionSucceeded', message: 'You have successfully subscribed your Amazon SNS topic' }],
  ])('writes nothing for %s, and ends normally', async (_case, notification) => {
    await expect(invoke(snsEvent(notification))).resolves.toBeUndefined();

    expect(transactions()).toEqual([]);
    expect(logged()).toHaveLength(1);
  });

  it('logs a transient bounce as ignored, and an untagged one as dropped (which the stack alarms on)', async () => {
    await invoke(snsEvent(bounceNotification({ recipients: ['full@example.org'], tags: TAGS, bounceType: 'Transient' })));
    await invoke(snsEvent(bounceNotification({ recipients: ['typo@example.org'] })));

    expect(logged().map(([level, message, facts]) => [level, message, facts.why])).toEqual([
      ['info', FEEDBACK_LOG.ignored, 'not-permanent'],
      ['warn', FEEDBACK_LOG.dropped, 'no company tag'],
    ]);
  });
});

describe('when a message is malformed', () => {
  it.each([
    ['text that is not JSON', 'Hello from a misconfigured publisher'],
    ['JSON that is not an object', '42'],
    ['an object with no type', { mail: { messageId: 'm' } }],
    ['a bounce without recipients', { ...bounceNotification({ recipients: [], tags: TAGS }) }],
    ['a bounce of an unknown bounce type', { ...bounceNotification({ recipients: ['x@example.org'], tags: TAGS }), bounce: { ...bounceNotification({ recipients: ['x@example.org'] }).bounce, bounceType: 'Eternal' } }],
    ['a complaint without a timestamp', { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'x@example.org' }], feedbackId: 'f' }, mail: { messageId: 'm', tags: { companyId: [COMPANY] } } }],
  ])('drops %s without writing or throwing, so no retry storm follows', async (_case, message) => {
    await expect(invoke(snsEvent(message))).resolves.toBeUndefined();

    expect(transactions()).toEqual([]);
    expect(logged()).toEqual([['warn', FEEDBACK_LOG.dropped, expect.objectContaining({ why: 'malformed', problem: expect.any(String) })]]);
  });

  it('drops an event that is not from SNS at all', async () => {
    await expect(invoke({ Records: [{ body: 'an SQS message' }] })).resolves.toBeUndefined();
    await expect(invoke({})).resolves.toBeUndefined();

    expect(transactions()).toEqual([]);
  });

  it('still records the good message of an event that also carries a malformed one', async () => {
    await invoke(snsEvent('not json', bounceNotification({ recipients: ['typo@example.org'], tags: TAGS })));

    expect(transactions()).toHaveLength(1);
  });
});

describe('when the suppression cannot be stored', () => {
  it('throws, so that Lambda retries the notification (the conditional put makes a retry harmless)', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    await expect(invoke(snsEvent(bounceNotification({ recipients: ['typo@example.org'], tags: TAGS })))).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
