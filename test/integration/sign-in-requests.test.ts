// End to end over HTTP: what one sign-in asks of DynamoDB, counted where the deployed bundle's requests arrive (the
// local AWS endpoint, which sees every call a function makes). A sign-in is three requests whatever its outcome, so
// neither the count nor its time tells an unknown address from a wrong password; the company's read comes on top
// only when the container has not read it in the last seconds (functions/adapters/remembered-companies.ts).
import type { AwsCall } from '../../local/aws-endpoint';
import type { ApiClient } from '../support/api-client';
import { provisionTestCompany } from '../support/companies';
import { useLocalStack } from '../support/local-stack';
import { createGeneralAdmin, signInMaster, signInReplacingTemporary } from '../support/scenario';

let api: ApiClient;
let signInCalls: AwsCall[] = [];
const { directory } = useLocalStack({
  started: (started) => (api = started),
  server: {
    interceptAws: (call) => {
      if (call.operationId === 'signIn') signInCalls.push(call);
      return undefined;
    },
  },
});

const PASSWORD = 'the password he chose himself';

const isCompanyRead = (call: AwsCall) => call.operation === 'GetItem' && call.input.Key?.sk?.S === '#COMPANY';

/** The DynamoDB operations of one sign-in, the company's read apart. */
async function requestsOf(companyId: string, email: string, password: string) {
  signInCalls = [];
  const answer = await api.request('POST', '/sign-in', { body: { companyId, email, password } });
  const dynamodb = signInCalls.filter((call) => call.service === 'dynamodb');
  return {
    status: answer.status,
    requests: dynamodb.filter((call) => !isCompanyRead(call)).map((call) => call.operation),
    companyReads: dynamodb.filter(isCompanyRead).length,
  };
}

describe('when admins sign in', () => {
  it('asks DynamoDB three things, whatever the outcome: the account by its address, the reservation, one write of the outcome', async () => {
    // Prepare: a general admin with a permanent password of his own
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `counted@${company.companyId}.example`);
    await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, PASSWORD);

    // Act
    const success = await requestsOf(company.companyId, general.email, PASSWORD);
    const wrongPassword = await requestsOf(company.companyId, general.email, `${PASSWORD}!`);
    const unknownAddress = await requestsOf(company.companyId, `nobody@${company.companyId}.example`, PASSWORD);
    const unknownCompany = await requestsOf(`${company.companyId}-made-up`, general.email, PASSWORD);

    // Assess
    expect(success).toMatchObject({ status: 200, requests: ['Query', 'UpdateItem', 'TransactWriteItems'] });
    expect(wrongPassword).toMatchObject({ status: 401, requests: ['Query', 'UpdateItem', 'BatchWriteItem'] });
    expect(unknownAddress).toMatchObject({ status: 401, requests: ['Query', 'UpdateItem', 'BatchWriteItem'] });
    // No event for a company that does not exist: a second write that stores nothing stands in for it.
    expect(unknownCompany).toMatchObject({ status: 401, requests: ['Query', 'UpdateItem', 'UpdateItem'], companyReads: 1 });
    for (const outcome of [success, wrongPassword, unknownAddress]) expect(outcome.companyReads).toBeLessThanOrEqual(1);
  });
});
