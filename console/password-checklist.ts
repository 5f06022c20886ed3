// Console (browser): the company's password rules as a list beside a password field, ticked off as the person
// types. The checks here approximate the server's for feedback only; the server judges every password, and its
// refusal is shown next to the field. The common-password list, the guessability rule (zxcvbn) and the password
// history stay on the server.
import type { PasswordPolicy, PasswordPolicyValues } from './api-types';
import { h, uniqueId } from './dom';

/** Whom the password is for, to spot personal information in it (the server also checks the company's name). */
export interface PasswordOwner {
  readonly email?: string;
  readonly name?: string;
  readonly companyId?: string;
}

type Verdict = 'met' | 'unmet' | 'server' | 'idle';

const SHORTEST_PERSONAL_FRAGMENT = 3;
const codePoints = (text: string): number => [...text].length;

function personalFragments(owner: PasswordOwner): string[] {
  const email = (owner.email ?? '').toLowerCase();
  const words = (text: string | undefined) => (text ?? '').toLowerCase().split(/[\s\-_.]+/);
  return [email, email.split('@')[0] ?? '', owner.name ?? '', ...words(owner.name), owner.companyId ?? '']
    .map((fragment) => fragment.normalize('NFKC').toLowerCase().trim())
    .filter((fragment) => codePoints(fragment) >= SHORTEST_PERSONAL_FRAGMENT);
}

/** The browser's verdict on one rule; 'server' where only the server can tell (common list, history). */
function judge(code: string, password: string, policy: PasswordPolicyValues, owner: PasswordOwner, current: string | undefined): Verdict {
  const typed = password.normalize('NFKC');
  const rule = (holds: boolean): Verdict => (holds ? 'met' : 'unmet');
  switch (code) {
    case 'TOO_SHORT':
      return rule(codePoints(typed) >= policy.minLength);
    case 'TOO_LONG':
      return rule(codePoints(typed) <= policy.maxLength);
    case 'MISSING_UPPERCASE':
      return rule(/\p{Lu}/u.test(typed));
    case 'MISSING_LOWERCASE':
      return rule(/\p{Ll}/u.test(typed));
    case 'MISSING_DIGIT':
      return rule(/\p{Nd}/u.test(typed));
    case 'MISSING_SYMBOL':
      return rule(/[^\p{L}\p{N}]/u.test(typed));
    case 'CONTAINS_PERSONAL_INFO': {
      const lowered = typed.toLowerCase();
      return rule(!personalFragments(owner).some((fragment) => lowered.includes(fragment)));
    }
    case 'TOO_GUESSABLE':
      // zxcvbn and its dictionaries are about 1.5 MB minified: far too big for the console's one inlined script
      // (and its CSP hash), so only the service judges this rule, when the password is submitted.
      return 'server';
    case 'SAME_AS_CURRENT':
      return current === undefined || current === '' ? 'server' : rule(typed !== current.normalize('NFKC'));
    default:
      return 'server';
  }
}

const SPOKEN: Readonly<Record<Verdict, string>> = {
  met: 'Met: ',
  unmet: 'Not met yet: ',
  server: 'Checked when you save: ',
  idle: '',
};
const MARK: Readonly<Record<Verdict, string>> = { met: '✓', unmet: '✗', server: '•', idle: '○' };

/** Whether two typed passwords are one, compared as the server compares them (NFKC): an accent composed or not. */
export const samePassword = (typed: string, confirmation: string): boolean => typed.normalize('NFKC') === confirmation.normalize('NFKC');

export interface Checklist {
  /** The section to place next to the field. */
  readonly element: HTMLElement;
  /** Its id, for the field's aria-describedby. */
  readonly id: string;
  /** Re-judges the rules (the fields it watches call it as the person types). */
  update(): void;
}

/**
 * The policy's rules, each ticked as the password in `input` keeps it. `owner` gives the personal information to
 * look for; `current` gives the password being replaced, when the screen knows it.
 */
export function policyChecklist(
  description: PasswordPolicy,
  input: () => string,
  owner: () => PasswordOwner,
  current?: () => string | undefined,
): Checklist {
  const id = uniqueId('policy');
  const items = description.rules.map((rule) => {
    const mark = h('span', { class: 'mark', 'aria-hidden': 'true' });
    const spoken = h('span', { class: 'visually-hidden' });
    const item = h('li', { 'data-rule': rule.code }, mark, spoken, h('span', null, rule.message));
    return { rule, item, mark, spoken };
  });
  const element = h(
    'section',
    { class: 'policy', id, 'aria-label': 'Password policy' },
    // An h2 follows any screen's h1 or h2 without skipping a level (axe's heading-order), wherever the list is placed.
    h('h2', { class: 'policy-heading' }, 'Password policy'),
    h('ul', { class: 'rules' }, ...items.map(({ item }) => item)),
    h('p', { class: 'hint' }, '✓ met, ✗ not met yet, • checked by the service when you save. The service checks every rule again when you save.'),
  );
  const update = () => {
    const password = input();
    for (const { rule, item, mark, spoken } of items) {
      const verdict: Verdict = password === '' ? 'idle' : judge(rule.code, password, description.policy, owner(), current?.());
      item.dataset.state = verdict;
      mark.textContent = MARK[verdict];
      spoken.textContent = SPOKEN[verdict];
    }
  };
  update();
  return { element, id, update };
}
