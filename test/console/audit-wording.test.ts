// Unit tests of the console's audit log wording and CSV (console/audit-wording.ts, console/csv.ts), which touch no
// page: every event type of the domain has words, so a new type cannot reach the screen as a code; details read as
// words, local times and names; the CSV is RFC 4180 and opens in a spreadsheet as text, never as a formula.
import { AUDIT_EVENT_TYPES as DOMAIN_EVENT_TYPES, OPERATOR_ORIGIN, type AuditEvent } from '../../functions/domain/audit';
import { SES_FEEDBACK_ORIGIN } from '../../functions/use-cases/delivery-feedback';
import { AUDIT_EVENT_TYPES, EVENT_WORDING, SYSTEM_ACTORS, detailsInWords, eventInWords, localTime, valueInWords } from '../../console/audit-wording';
import { csvField, csvOf } from '../../console/csv';

const ADA = '01JX7B00000000000000000ADA';
const nameOf = (adminId: string) => (adminId === ADA ? 'Ada Lovelace' : 'Unknown administrator');

const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
  eventId: '01JX7B0000000000000000000A',
  companyId: 'acme',
  type: 'SIGN_IN_FAILED',
  outcome: 'failure',
  at: '2026-12-02T21:30:45.408Z',
  actorAdminId: null,
  targetAdminId: ADA,
  sourceIp: '203.0.113.77',
  userAgent: 'Mozilla/5.0',
  details: {},
  ...overrides,
});

/** A raw ULID, or an ISO time, anywhere in the text. */
const RAW = /[0-9A-HJKMNP-TV-Z]{26}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe('when the console words the audit log', () => {
  it('has words for every event type of the domain, and for no other', () => {
    expect(new Set(AUDIT_EVENT_TYPES)).toEqual(new Set(DOMAIN_EVENT_TYPES));
    for (const type of DOMAIN_EVENT_TYPES) expect(EVENT_WORDING[type]).toMatch(/^[A-Z"]/);
  });

  it('knows the actors that are no admin by the origins the domain gives them', () => {
    expect(Object.keys(SYSTEM_ACTORS).sort()).toEqual([OPERATOR_ORIGIN.userAgent, SES_FEEDBACK_ORIGIN.userAgent].sort());
    expect(eventInWords(event({ type: 'COMPANY_CREATED', targetAdminId: null, sourceIp: null, userAgent: OPERATOR_ORIGIN.userAgent }), nameOf)).toMatchObject({
      by: 'Service operator',
      from: 'Operator command',
    });
    expect(eventInWords(event({}), nameOf)).toMatchObject({ by: '—', about: 'Ada Lovelace' });
  });

  it('shows local times with their zone, names instead of ids, and words instead of codes', () => {
    const details = { expiresAt: '2026-12-02T21:30:45.408Z', requestedBy: ADA, reason: 'WRONG_PASSWORD', destination: 'typed', retryAfterSeconds: 60, registered: true };

    const lines = detailsInWords(details, nameOf);

    expect(lines).toEqual([
      `Expires: ${localTime(details.expiresAt)}`,
      'Link sent by: Ada Lovelace',
      'Reason: wrong password',
      'Address: an address the master typed',
      'Next possible in (seconds): 60',
      'Address of an administrator: yes',
    ]);
    expect(lines.join(' ')).not.toMatch(RAW);
    expect(localTime('2026-12-02T21:30:45.408Z', 'en-GB', 'Asia/Tokyo')).toBe('3 Dec 2026, 06:30:45 GMT+9');
  });

  it('words a change as before → after, and a code nobody worded yet as plain words', () => {
    expect(detailsInWords({ minLengthFrom: 8, minLengthTo: 15, requireDigitFrom: true, requireDigitTo: false }, nameOf)).toEqual([
      'Minimum length: 8 → 15',
      'Require a digit: yes → no',
    ]);
    expect(valueInWords('SOME_NEW_REASON', nameOf)).toBe('some new reason');
    expect(valueInWords('gil@acme.example', nameOf)).toBe('gil@acme.example');
    expect(valueInWords('01JX7B0000000000000000ZZZZ', nameOf)).toBe('Unknown administrator');
  });
});

describe('when the rows are exported as CSV', () => {
  it('quotes fields with commas, quotes and line breaks, and ends each line with CRLF (RFC 4180)', () => {
    expect(csvOf(['Name', 'Details'], [['Ada, Countess', 'said "hi"\nthen left']])).toBe('Name,Details\r\n"Ada, Countess","said ""hi""\nthen left"\r\n');
  });

  it.each(['=HYPERLINK("http://evil.example")', '+1+2', '-2+3', '@SUM(A1)', '\tindented', '\rreturn'])('makes %j text for a spreadsheet', (text) => {
    expect(csvField(text).replace(/^"/, '').startsWith(`'${text[0]}`)).toBe(true);
  });

  it('leaves ordinary text as it is', () => {
    expect(csvField('Ada Lovelace <ada@acme.example>')).toBe('Ada Lovelace <ada@acme.example>');
  });
});
