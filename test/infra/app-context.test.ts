// Stack tests (lib/app-context.ts): the app's context is validated once at synth time; a bad or missing value fails
// with one line that names it.
import { DEV_SENDER_EMAIL, readAppContext } from '../../lib/app-context';
import { ALARM_EMAIL, SENDER, newApp } from './synth';

const contextOf = (context: Record<string, unknown>) => readAppContext(newApp(context));
const PROD = { stage: 'prod', senderEmail: SENDER, alarmEmail: ALARM_EMAIL };

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

  it('requires the sender and the alarm address outside dev, naming what to pass', () => {
    expect(() => contextOf({ stage: 'prod' })).toThrow(
      /^adminpass: missing context senderEmail, alarmEmail \(required for stage prod\): -c senderEmail=\S+ -c alarmEmail=\S+$/,
    );
  });

  it('names only the missing value when the other is given', () => {
    expect(() => contextOf({ stage: 'prod', senderEmail: SENDER })).toThrow(/^adminpass: missing context alarmEmail \(required for stage prod\)/);
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
    expect(() => contextOf({ senderIdentity: 'dkim' })).toThrow(/context senderIdentity="dkim" must be address or domain/);
  });

  it('reports the problems on one line', () => {
    expect(() => contextOf({ stage: 'X', bcryptCost: 99, alarmEmail: 'x' })).toThrow(/^[^\n]+$/);
  });
});
