// Console (browser): Settings > Company settings > Password policy settings. The item exists only where the
// service operator enabled the settings for the company (GET /company/password-policy says `editable`).
import { api } from '../api';
import type { CompanyPasswordPolicy, PasswordPolicySettings } from '../api-types';
import { HOME, account, route, type ScreenView } from '../app';
import { h, message } from '../dom';
import { FormControl, checkboxField, formOf, inputField, type Field } from '../forms';

const PATH = '/settings/company/password-policy';
const NOT_ENABLED = 'Password policy settings are not available for your company. If you want to use them, please contact us from the inquiry form.';
const ADVISED_AGAINST = 'NIST SP 800-63B and OWASP ASVS advise against composition rules: a longer password protects better.';

type NumberSetting = 'minLength' | 'minGuessScore' | 'historyCount' | 'maxAgeDays' | 'lockoutThreshold' | 'lockoutMinutes' | 'temporaryPasswordValidityDays';
type SwitchSetting = Exclude<keyof PasswordPolicySettings, NumberSetting>;

const NUMBERS: readonly (readonly [NumberSetting, string, string])[] = [
  ['minLength', 'Minimum length (characters)', '8 to 128. NIST SP 800-63B asks at least 15 for a password used alone.'],
  [
    'minGuessScore',
    'Minimum strength against guessing (0 to 4)',
    "0 switches the check off; 3 (the default) refuses what zxcvbn finds guessable: repeats, sequences, keyboard patterns, common words, dates, the person's own details.",
  ],
  ['historyCount', 'Previous passwords that may not be reused', '0 to 24; 0 allows reuse.'],
  ['maxAgeDays', 'Password expiry (days)', '0 to 3650; 0 never expires. NIST and OWASP advise against periodic expiry.'],
  ['lockoutThreshold', 'Failed sign-ins before the account locks', '0 (never locks) or 3 to 100.'],
  ['lockoutMinutes', 'Lockout duration (minutes)', '1 to 1440; a master can unlock at once.'],
  ['temporaryPasswordValidityDays', 'Temporary password validity (days)', '1 to 30.'],
];

const SWITCHES: readonly (readonly [SwitchSetting, string, string | undefined])[] = [
  ['requireUppercase', 'Require an upper-case letter', ADVISED_AGAINST],
  ['requireLowercase', 'Require a lower-case letter', ADVISED_AGAINST],
  ['requireDigit', 'Require a digit', ADVISED_AGAINST],
  ['requireSymbol', 'Require a symbol or space', ADVISED_AGAINST],
  ['blockCommonPasswords', 'Refuse common and breached passwords', 'Only the service operator can switch this off.'],
  ['blockPersonalInfo', "Refuse the person's email address, name and the company's name", undefined],
];

const rulesList = (current: CompanyPasswordPolicy) =>
  h(
    'section',
    { class: 'card', 'aria-labelledby': 'rules-heading' },
    h('h2', { id: 'rules-heading' }, 'As the password screens show it'),
    h('ul', { class: 'rules plain' }, ...current.rules.map((rule) => h('li', null, rule.message))),
  );

async function policyScreen(): Promise<ScreenView> {
  const trail = [{ text: 'Settings', href: HOME }, { text: 'Company settings' }];
  const current = await api.passwordPolicy();
  account.policyEditable = current.editable;
  if (!current.editable) return { title: 'Password policy settings', trail, body: [message(NOT_ENABLED, 'info')] };

  const numbers = NUMBERS.map(([name, label, hint]) => inputField({ name, label, hint, type: 'number', value: String(current.policy[name]) }));
  const switches = SWITCHES.map(([name, label, hint]) => checkboxField({ name, label, hint, checked: current.policy[name] }));
  const valueOf = (fields: readonly Field[], name: string) => fields.find((field) => field.name === name)?.control as HTMLInputElement;
  const rules = h('div', null, rulesList(current));

  const form: HTMLFormElement = formOf('Password policy settings', () =>
    control.submit(async () => {
      // An empty or non-numeric entry is sent as null, so the service's own message says what it expects.
      const number = (name: NumberSetting) => {
        const value = valueOf(numbers, name).valueAsNumber;
        return Number.isNaN(value) ? null : value;
      };
      const settings = {
        ...Object.fromEntries(NUMBERS.map(([name]) => [name, number(name)])),
        ...Object.fromEntries(SWITCHES.map(([name]) => [name, valueOf(switches, name).checked])),
      } as unknown as PasswordPolicySettings;
      const saved = await api.savePasswordPolicy(settings);
      rules.replaceChildren(rulesList(saved));
      control.formError.replaceChildren();
      const done = message('Saved. The policy applies the next time a password is set; the expiry applies at sign-in.', 'success');
      status.replaceChildren(done);
      done.focus();
    }),
    h('fieldset', null, h('legend', null, 'Length, history and lockout'), ...numbers.map((field) => field.element)),
    h('fieldset', null, h('legend', null, 'Composition and content'), ...switches.map((field) => field.element)),
  );
  const control = new FormControl(form, [...numbers, ...switches]);
  const status = h('div');
  form.append(control.formError, status, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save')));
  return { title: 'Password policy settings', trail, body: [h('div', { class: 'card' }, form), rules] };
}

route(PATH, policyScreen);
