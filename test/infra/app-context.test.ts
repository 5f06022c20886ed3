// Stack tests (lib/app-context.ts, lib/stage-files.ts): a stage's settings, from its file under the CDK context, are
// validated once at synth time; a bad or missing value fails with one line that names it; a stage pinned to an
// account refuses the credentials of another.
import { DEV_SENDER_EMAIL, checkCredentialsAccount, readAppContext, type StageSettings } from '../../lib/app-context';
import { loadStageSettings, stagesWithFiles } from '../../lib/stage-files';
import { ALARM_EMAIL, SENDER, newApp } from './synth';

const contextOf = (context: Record<string, unknown>, stageSettings: StageSettings = {}) => readAppContext(newApp(context), stageSettings);
const PROD = { stage: 'prod', account: '111111111111', region: 'eu-west-1', senderEmail: SENDER, alarmEmail: ALARM_EMAIL };

describe('when the app context is read', () => {
  it('defaults to the dev stage, bcrypt cost 12, the placeholder sender and no origins', () => {
    expect(contextOf({})).toEqual({
      stage: 'dev',
      bcryptCost: 12,
      passwordHashScheme: 'bcrypt',
      senderEmail: DEV_SENDER_EMAIL,
      senderIdentity: 'address',
      allowedOrigins: [],
      sandboxRecipients: [],
    });
  });

  it('accepts a cost given as a string on the command line', () => {
    expect(contextOf({ ...PROD, bcryptCost: '13' })).toMatchObject({ stage: 'prod', bcryptCost: 13, senderEmail: SENDER, alarmEmail: ALARM_EMAIL });
  });

  it('rejects a bcrypt cost below 10, naming the value', () => {
    expect(() => contextOf({ bcryptCost: '4' })).toThrow(/context bcryptCost="4" must be a whole number from 10 to 14/);
  });

  it('takes argon2id as the scheme of new password hashes, and refuses a scheme it does not have', () => {
    expect(contextOf({ passwordHashScheme: 'argon2id' })).toMatchObject({ passwordHashScheme: 'argon2id' });
    expect(() => contextOf({ passwordHashScheme: 'scrypt' })).toThrow(/passwordHashScheme="scrypt" must be bcrypt or argon2id/);
  });

  it('rejects a bcrypt cost that is not a number, naming the value', () => {
    expect(() => contextOf({ bcryptCost: 'twelve' })).toThrow(/bcryptCost="twelve"/);
  });

  it('rejects a stage that cannot name a stack, naming the value', () => {
    expect(() => contextOf({ stage: 'Prod_1' })).toThrow(/context stage="Prod_1" must be/);
  });

  it('requires the account, the region, the sender and the alarm address outside dev, naming the file to set them in', () => {
    expect(() => contextOf({ stage: 'prod' })).toThrow(
      /^adminpass: missing account, region, senderEmail, alarmEmail \(required for stage prod\): set \{ account: '\d{12}', region: '[a-z0-9-]+', senderEmail: '\S+', alarmEmail: '\S+' \} in config\/stages\/prod.ts$/,
    );
  });

  it('names only the missing value when the others are given', () => {
    expect(() => contextOf({ ...PROD, alarmEmail: undefined })).toThrow(/^adminpass: missing alarmEmail \(required for stage prod\)/);
  });

  it('rejects an alarm address that is not one', () => {
    expect(() => contextOf({ ...PROD, alarmEmail: 'ops' })).toThrow(/context alarmEmail="ops" must be an email address/);
  });

  it('accepts an https public URL without its trailing slash, and refuses an http one', () => {
    expect(contextOf({ publicBaseUrl: 'https://admin.example.com/' }).publicBaseUrl).toBe('https://admin.example.com');
    expect(() => contextOf({ publicBaseUrl: 'http://admin.example.com' })).toThrow(/publicBaseUrl.*must be an https URL/);
  });

  it('leaves the breached-password check off unless its URL is given, then takes it without the trailing slash', () => {
    expect(contextOf({}).pwnedPasswordsUrl).toBeUndefined();
    expect(contextOf({ pwnedPasswordsUrl: 'https://api.pwnedpasswords.com/', pwnedPasswordsTimeoutMs: '900' })).toMatchObject({
      pwnedPasswordsUrl: 'https://api.pwnedpasswords.com',
      pwnedPasswordsTimeoutMs: 900,
    });
  });

  it('refuses a breached-password URL that is not https, and a timeout out of range, naming the value', () => {
    expect(() => contextOf({ pwnedPasswordsUrl: 'http://api.pwnedpasswords.com' })).toThrow(/context pwnedPasswordsUrl="http:\/\/api.pwnedpasswords.com" must be an https URL/);
    expect(() => contextOf({ pwnedPasswordsUrl: 'https://api.pwnedpasswords.com', pwnedPasswordsTimeoutMs: '5000' })).toThrow(
      /context pwnedPasswordsTimeoutMs="5000" must be a whole number of milliseconds from 100 to 3000/,
    );
  });

  it('refuses a breached-password timeout without the URL, which would look like a check that is on', () => {
    expect(() => contextOf({ pwnedPasswordsTimeoutMs: '1000' })).toThrow(/^adminpass: context pwnedPasswordsTimeoutMs needs pwnedPasswordsUrl/);
  });

  it('reads allowed origins from a comma-separated string or a list', () => {
    expect(contextOf({ allowedOrigins: 'https://a.example, https://b.example:8443' }).allowedOrigins).toEqual(['https://a.example', 'https://b.example:8443']);
    expect(contextOf({ allowedOrigins: ['https://a.example'] }).allowedOrigins).toEqual(['https://a.example']);
  });

  it('refuses an origin with a path or without https, naming the value', () => {
    expect(() => contextOf({ allowedOrigins: 'https://a.example/app' })).toThrow(/context allowedOrigins="https:\/\/a.example\/app" must list https origins/);
    expect(() => contextOf({ allowedOrigins: 'http://a.example' })).toThrow(/allowedOrigins/);
  });

  it('reads sandbox recipients as addresses or domains', () => {
    expect(contextOf({ sandboxRecipients: 'qa@a.example,b.example' }).sandboxRecipients).toEqual(['qa@a.example', 'b.example']);
    expect(() => contextOf({ sandboxRecipients: 'not an identity' })).toThrow(/sandboxRecipients/);
  });

  it('verifies the sender address unless the domain is asked for', () => {
    expect(contextOf({ senderIdentity: 'domain' }).senderIdentity).toBe('domain');
    expect(contextOf({ senderIdentity: 'existing' }).senderIdentity).toBe('existing');
    expect(() => contextOf({ senderIdentity: 'dkim' })).toThrow(/context senderIdentity="dkim" must be address, domain or existing/);
  });

  it('refuses an account that is not 12 digits and a region that is not one, and half an environment', () => {
    expect(() => contextOf({ ...PROD, account: '1234' })).toThrow(/context account="1234" must be a 12-digit AWS account id/);
    expect(() => contextOf({ ...PROD, region: 'Europe' })).toThrow(/context region="Europe" must be an AWS region/);
    expect(() => contextOf({ account: '111111111111' })).toThrow(/^adminpass: context account and region go together/);
  });

  it('takes a custom domain in its hosted zone, and refuses one outside it, naming the nested value', () => {
    const customDomain = { domainName: 'admin.adminpass.example', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'adminpass.example' };

    expect(contextOf({}, { customDomain }).customDomain).toEqual(customDomain);
    expect(() => contextOf({}, { customDomain: { ...customDomain, hostedZoneName: 'other.example' } })).toThrow(/context customDomain=.* domainName must be in hostedZoneName/);
    expect(() => contextOf({}, { customDomain: { ...customDomain, hostedZoneId: 'zone' } })).toThrow(/context customDomain.hostedZoneId="zone" must be a Route 53 hosted zone id/);
  });

  it('takes a MAIL FROM domain only under the sender’s domain, and only for a domain identity', () => {
    const domainSender = { senderEmail: SENDER, senderIdentity: 'domain' } as const;

    expect(contextOf({}, { ...domainSender, mailFromDomain: 'bounce.mail.adminpass.example' }).mailFromDomain).toBe('bounce.mail.adminpass.example');
    expect(() => contextOf({}, { ...domainSender, mailFromDomain: 'bounce.other.example' })).toThrow(/mailFromDomain=bounce.other.example must be a subdomain of the sender's domain mail.adminpass.example/);
    expect(() => contextOf({}, { senderEmail: SENDER, mailFromDomain: 'bounce.mail.adminpass.example' })).toThrow(/mailFromDomain needs senderIdentity=domain/);
  });

  it('reports the problems on one line', () => {
    expect(() => contextOf({ stage: 'X', bcryptCost: 99, alarmEmail: 'x' })).toThrow(/^[^\n]+$/);
  });
});

describe('when a stage file is read under the command line', () => {
  it('takes the stage file’s settings', () => {
    const { stage, ...settings } = PROD;

    expect(contextOf({ stage }, settings)).toMatchObject({ account: '111111111111', region: 'eu-west-1', alarmEmail: ALARM_EMAIL });
  });

  it('lets the command line override a setting of the file', () => {
    expect(contextOf({ bcryptCost: '13' }, { bcryptCost: 11 }).bcryptCost).toBe(13);
  });

  it('refuses a setting the schema does not have, and the stage itself, which is the file’s name', () => {
    expect(() => contextOf({}, { senderMail: SENDER } as StageSettings)).toThrow(/^adminpass: the stage file sets senderMail, which is not a stage setting/);
    expect(() => contextOf({}, { stage: 'prod' } as StageSettings)).toThrow(/the stage file sets stage/);
  });

  it('names the file to create for a stage that has none, and refuses a stage name that is not one', async () => {
    await expect(loadStageSettings('nowhere')).rejects.toThrow(/^adminpass: no settings for stage nowhere: create config\/stages\/nowhere.ts/);
    await expect(loadStageSettings('../etc')).rejects.toThrow(/stage "..\/etc" must be/);
  });

  it('validates every stage file in config/stages, and the example of a production stage', async () => {
    for (const stage of stagesWithFiles()) {
      const settings = await loadStageSettings(stage);
      expect(() => contextOf({ stage }, settings)).not.toThrow();
    }
    const example = (await import('../../config/stages/prod.example')).default;

    expect(contextOf({ stage: 'prod' }, example)).toMatchObject({ stage: 'prod', account: '123456789012', customDomain: { domainName: 'admin.your-domain.example' } });
  });

  it('has a dev stage with no account, so dev synthesizes offline', async () => {
    expect(stagesWithFiles()).toContain('dev');
    expect(contextOf({}, await loadStageSettings('dev')).account).toBeUndefined();
  });
});

describe('when the credentials are for another account than the stage’s', () => {
  it('refuses, naming both accounts and the stage file', () => {
    expect(() => checkCredentialsAccount({ stage: 'prod', account: '111111111111' }, '222222222222')).toThrow(
      /^adminpass: stage prod belongs to account 111111111111, but the AWS credentials in use are for account 222222222222: .*config\/stages\/prod.ts$/,
    );
  });

  it('goes on with the stage’s own account, with no credentials (offline), and for a stage that names no account', () => {
    expect(() => checkCredentialsAccount({ stage: 'prod', account: '111111111111' }, '111111111111')).not.toThrow();
    expect(() => checkCredentialsAccount({ stage: 'prod', account: '111111111111' }, undefined)).not.toThrow();
    expect(() => checkCredentialsAccount({ stage: 'dev', account: undefined }, '222222222222')).not.toThrow();
  });
});
