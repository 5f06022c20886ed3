// Console (browser): the master's temporary password entry: typed, or [Generate]d and shown once with a way to
// copy it, with the company's rules ticked as it fills.
import type { PasswordPolicy } from './api-types';
import { h } from './dom';
import { inputField, type Field } from './forms';
import { policyChecklist, type PasswordOwner } from './password-checklist';
import { generateTemporaryPassword } from './temporary-password';

export interface TemporaryPasswordEntry {
  readonly field: Field;
  /** The field, its [Generate] button, the once-only notice and the checklist. */
  readonly element: HTMLElement;
  /** Judges the rules again, when the owner's name or email changed. */
  readonly recheck: () => void;
}

export function temporaryPasswordEntry(description: PasswordPolicy, owner: () => PasswordOwner, whose: () => string): TemporaryPasswordEntry {
  const field = inputField({
    name: 'temporaryPassword',
    label: 'Temporary password',
    type: 'password',
    autocomplete: 'off',
    hint: `Type one, or press [Generate]. It works for ${description.policy.temporaryPasswordValidityDays} days, and only to choose a new password at sign-in.`,
  });
  const input = field.control as HTMLInputElement;
  const checklist = policyChecklist(description, () => input.value, owner);
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby')} ${checklist.id}`);
  const generated = h('div', { class: 'generated', role: 'status' });
  const copied = h('span', { class: 'copied', role: 'status' });

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      copied.textContent = 'Copied.';
    } catch {
      // The clipboard can be refused (permissions, an insecure origin): leave it selected for Ctrl+C instead.
      input.focus();
      input.select();
      copied.textContent = 'Selected: press Ctrl+C (or ⌘+C) to copy it.';
    }
  };
  const generate = () => {
    input.value = generateTemporaryPassword(description.policy, owner());
    input.type = 'text';
    // As if typed: the checklist follows, and an earlier refusal of the field no longer applies.
    input.dispatchEvent(new Event('input'));
    copied.textContent = '';
    generated.replaceChildren(
      h(
        'p',
        null,
        `Generated and shown once: copy it now and give it to ${whose()} in person or by another safe channel, never by email. It is not shown again once you leave this screen.`,
      ),
      h('button', { type: 'button', class: 'secondary', onclick: () => void copy() }, 'Copy'),
      copied,
    );
  };
  input.addEventListener('input', () => {
    checklist.update();
    generated.replaceChildren();
  });
  const element = h(
    'div',
    { class: 'temporary-password' },
    field.element,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: generate }, 'Generate')),
    generated,
    checklist.element,
  );
  return { field, element, recheck: checklist.update };
}
