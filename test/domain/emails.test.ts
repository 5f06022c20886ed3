// Unit tests of the email texts (functions/domain/emails.ts).
import { formatUtc, passwordChangeNotice, passwordResetEmail } from '../../functions/domain/emails';

describe('when the reset email is written', () => {
  const facts = {
    adminName: 'Grace <b>Hopper</b>',
    masterName: 'Ada & Co',
    companyName: 'Acme "Corp"',
    link: 'https://admin.acme.example/password-reset#token=abc',
    expiresAt: '2026-11-28T09:05:00.000Z',
  };

  it('escapes names in the HTML part, so a crafted name cannot inject markup', () => {
    const { html } = passwordResetEmail(facts);

    expect(html).toContain('Grace &#60;b&#62;Hopper&#60;/b&#62;');
    expect(html).not.toContain('<b>');
  });

  it('states the expiry as a UTC time in both parts', () => {
    const { text, html } = passwordResetEmail(facts);

    expect(text).toContain('28 November 2026 at 09:05 UTC');
    expect(html).toContain('28 November 2026 at 09:05 UTC');
  });
});

describe('when a change notice is written', () => {
  it('says what happened and when, and carries no link or secret', () => {
    const notice = passwordChangeNotice({ adminName: 'Grace', companyName: 'Acme', change: 'temporary-set-by-master', at: '2026-11-27T10:00:00.000Z' });

    expect(notice.text).toContain('set a temporary password');
    expect(notice.text).toContain(formatUtc('2026-11-27T10:00:00.000Z'));
    expect(`${notice.text}${notice.html}`).not.toMatch(/https?:|token/i);
  });
});
