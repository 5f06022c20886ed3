// Integration test of sign-in timing over the local stack (real handlers, DynamoDB Local): a wrong password of a
// known address and an unknown address do the same work (the same DynamoDB round trips, the same bcrypt cost), so
// their answers take the same time within the noise of one DynamoDB round trip. Samples are taken in interleaved
// pairs and compared pair by pair (the median of the differences), so a machine whose load changes during the test
// weighs on both sides of each pair alike; no fixed time limit.
import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { enablePasswordPolicySettings, provisionTestCompany } from '../support/companies';
import { createGeneralAdmin, signInMaster, signInReplacingTemporary, untilPolicyInForce } from '../support/scenario';

const SAMPLES = 80;
const WARM_UP = 10;

let api: ApiClient;
const { client, directory } = useLocalStack({ started: (started) => (api = started) });

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('when an outsider times wrong passwords of a known address against unknown addresses', () => {
  it(
    'sees their times differ, in the median of interleaved pairs, by less than one DynamoDB round trip',
    async () => {
      // Prepare: lockout off, so every wrong password is compared and counted the same way from the first to the last
      const company = await provisionTestCompany(directory);
      const master = await signInMaster(api, company);
      await enablePasswordPolicySettings(directory, company.companyId);
      const { policy } = (await api.request('GET', '/company/password-policy', { token: master.token })).body;
      const { maxLength: _fixed, ...settings } = policy;
      expect((await api.request('PUT', '/company/password-policy', { token: master.token, body: { ...settings, lockoutThreshold: 0 } })).status).toBe(200);
      const lockoutOffAt = performance.now();
      const general = await createGeneralAdmin(api, master, `gil@${company.companyId}.example`);
      await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, 'violet harbour evening passphrase');
      await untilPolicyInForce(lockoutOffAt);
      const attempt = (email: string) => () =>
        api.request('POST', '/sign-in', { body: { companyId: company.companyId, email, password: 'a guess that is long enough' } });
      const roundTrip = () => client.send(new GetCommand({ TableName: process.env.DIRECTORY_TABLE!, Key: { pk: `COMPANY#${company.companyId}`, sk: '#COMPANY' }, ConsistentRead: true }));

      // Act: interleaved, so whatever else the machine does weighs on all three alike
      const differences: number[] = [];
      const dynamoDb: number[] = [];
      for (let sample = 0; sample < SAMPLES; sample += 1) {
        const statuses: number[] = [];
        const known = await timed(async () => statuses.push((await attempt(general.email)()).status));
        const missing = await timed(async () => statuses.push((await attempt(`nobody-${sample}@${company.companyId}.example`)()).status));
        const trip = await timed(roundTrip);
        expect(statuses).toEqual([401, 401]);
        if (sample < WARM_UP) continue;
        differences.push(known - missing);
        dynamoDb.push(trip);
      }

      // Assess
      expect(Math.abs(median(differences))).toBeLessThan(median(dynamoDb));
    },
    180_000,
  );
});
