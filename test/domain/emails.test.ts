// Unit tests of the email texts (functions/domain/emails.ts).
import { QUOTED_NAME_MAX, formatUtc, passwordChangeNotice, passwordResetEmail, quotableName } from '../../functions/domain/emails';
import { accountSetUpEmail } from '../../functions/domain/setup-email';

describe('when the reset email is written', () => {
  const facts = {
    adminName: 'Grace <b>Hopper</b>',
    masterName: 'Ada & Co',
    companyId: 'acme',
    companyName: 'Acme "Corp"',
    email: 'grace@acme.example',
    link: 'https://admin.acme.example/password-reset#token=abc',
    expiresAt: '2026-11-28T09:05:00.000Z',
    validMinutes: 24 * 60,
  };

  it('quotes no markup of a crafted name, and escapes what it keeps in the HTML part', () => {
    const { html } = passwordResetEmail({ ...facts, companyName: 'Smith & Sons' });

    expect(html).toContain('Hello Grace b Hopper b,');
    expect(html).toContain('Smith &#38; Sons');
    expect(html).not.toContain('<b>');
  });

  it('states the expiry as a UTC time in both parts', () => {
    const { text, html } = passwordResetEmail(facts);

    expect(text).toContain('28 November 2026 at 09:05 UTC');
    expect(html).toContain('28 November 2026 at 09:05 UTC');
  });

  it.each([
    [24 * 60, 'expires in 24 hours'],
    [60, 'expires in 1 hour'],
    [90, 'expires in 90 minutes'],
  ])('states the lifetime the deployment gives links (%i minutes) as "%s"', (validMinutes, words) => {
    const { text } = passwordResetEmail({ ...facts, validMinutes });

    expect(text).toContain(`The link can be used once and ${words}, on 28 November 2026 at 09:05 UTC.`);
  });

  it('names the company id and the address to sign in with, which the company name does not tell', () => {
    const { text, html } = passwordResetEmail(facts);

    expect(text).toContain('To sign in, use the company id "acme" and your email address grace@acme.example.');
    expect(html).toContain('To sign in, use the company id &#34;acme&#34; and your email address grace@acme.example.');
  });
});

describe('when the operator’s set-up email is written', () => {
  it('names the company id and the address to sign in with', () => {
    const { text } = accountSetUpEmail({
      adminName: 'Ada',
      email: 'ada@acme.example',
      companyId: 'acme',
      companyName: 'Acme',
      link: 'https://admin.acme.example/password-reset#token=abc',
      expiresAt: '2026-11-28T09:05:00.000Z',
      validMinutes: 24 * 60,
    });

    expect(text).toContain('To sign in, use the company id "acme" and your email address ada@acme.example.');
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

describe('when a name someone typed is quoted in an email', () => {
  const LINK = 'https://admin.acme.example/password-reset#token=abc';
  const EMAIL = 'grace@acme.example';
  const reset = (names: { adminName?: string; masterName?: string; companyName?: string }) =>
    passwordResetEmail({ adminName: 'Grace', masterName: 'Ada', companyId: 'acme', companyName: 'Acme', email: EMAIL, link: LINK, expiresAt: '2026-11-28T09:05:00.000Z', validMinutes: 24 * 60, ...names });
  /** Every URL-ish thing in a part other than the service's own link and the registered address it names. */
  const foreignLinks = (part: string) => part.replaceAll(LINK, '').replaceAll(EMAIL, '').match(/https?:|www\.|[a-z0-9]\.[a-z]{2,}|href=|mailto:/gi) ?? [];

  it.each([
    ['a URL', 'Ada http://evil.example/login'],
    ['an instruction with a link', 'Click here: http://evil.example/reset'],
    ['a bare domain', 'Ada evil.example'],
    ['www and a path', 'www.evil.example/x'],
    ['full-width look-alikes of a URL', 'ｈｔｔｐｓ：／／ｅｖｉｌ．ｅｘａｍｐｌｅ'],
    ['a one-dot-leader domain', 'evil\u2024example'],
    ['a mailto', 'mailto:boss@evil.example'],
    ['an HTML anchor', '<a href="https://evil.example">Ada</a>'],
  ])('drops %s from the text and the HTML part, in every name', (_case, hostile) => {
    const message = reset({ adminName: hostile, masterName: hostile, companyName: hostile });

    expect(foreignLinks(message.text)).toEqual([]);
    expect(foreignLinks(message.html.replace(`href="${LINK}"`, ''))).toEqual([]);
    expect(foreignLinks(message.subject)).toEqual([]);
  });

  it('keeps no line break, so a name cannot start a paragraph of its own', () => {
    const { text } = reset({ masterName: 'Ada\n\nIMPORTANT:\r\nreply to us' });

    expect(text.split('\n\n')[1]).toBe('Ada IMPORTANT reply to us, master administrator of Acme, has reset your administrator password. Your previous password no longer works.');
  });

  it('cuts a 100-character name to 40 code points', () => {
    const quoted = quotableName('Bartholomew '.repeat(9).trim(), 'administrator');

    expect([...quoted]).toHaveLength(QUOTED_NAME_MAX);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('keeps the letters, marks, apostrophes, hyphens and dots of real names', () => {
    expect(quotableName("Zoë O’Brien-Núñez Jr.", 'administrator')).toBe("Zoë O’Brien-Núñez Jr.");
    expect(quotableName('山田 太郎', 'administrator')).toBe('山田 太郎');
    expect(quotableName('Acme 2000 & Co.', 'your company', { company: true })).toBe('Acme 2000 & Co.');
  });

  it('falls back to a neutral word when nothing of the name is left', () => {
    const { text } = reset({ adminName: 'https://evil.example', masterName: '://' });

    expect(text).toMatch(/^Hello administrator,\n\nA master administrator, master administrator of Acme/);
  });

  it('quotes names the same way in the operator’s set-up email', () => {
    const message = accountSetUpEmail({
      adminName: 'Ada http://evil.example',
      email: 'ada@acme.example',
      companyId: 'acme',
      companyName: 'Acme www.evil.example',
      link: LINK,
      expiresAt: '2026-11-28T09:05:00.000Z',
      validMinutes: 24 * 60,
    });

    expect(message.text).toContain('Hello Ada,');
    expect(message.subject).toBe('Your adminpass account for Acme was created');
  });
});
