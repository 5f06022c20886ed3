// Console (browser): the fields every screen that sets a new password shows (the sign-in's new-password step, My
// account's Change Password, the Password Change Screen): the new password with the policy's rules ticked beside it,
// its confirmation, and the browser's checks of both before anything is sent.
import type { PasswordPolicy } from './api-types';
import { inputField, type Field, type FormControl } from './forms';
import { policyChecklist, samePassword, type Checklist, type PasswordOwner } from './password-checklist';

/** The browser's refusal of a confirmation that is not the new password. */
export const PASSWORDS_DIFFER = 'The two passwords do not match. Type the same new password in both fields.';

export interface NewPasswordFields {
  readonly newPassword: Field;
  readonly confirm: Field;
  readonly checklist: Checklist;
  /** In the form's order: the new password, its rules, the confirmation. */
  readonly elements: readonly HTMLElement[];
  /** The typed new password, or undefined once `control` shows why it cannot be sent (empty, or not confirmed). */
  typedPassword(control: FormControl): string | undefined;
}

/**
 * The new password and its confirmation, with the checklist of `policy` described by and updated from the first.
 * `owner` and `current` are the checklist's (policyChecklist).
 */
export function newPasswordFields(policy: PasswordPolicy, owner: () => PasswordOwner, current?: () => string | undefined): NewPasswordFields {
  const newPassword = inputField({ name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password' });
  const confirm = inputField({ name: 'confirmPassword', label: 'Confirm new password', type: 'password', autocomplete: 'new-password' });
  const checklist = policyChecklist(policy, () => newPassword.control.value, owner, current);
  newPassword.control.setAttribute('aria-describedby', `${newPassword.control.getAttribute('aria-describedby')} ${checklist.id}`);
  newPassword.control.addEventListener('input', checklist.update);
  return {
    newPassword,
    confirm,
    checklist,
    elements: [newPassword.element, checklist.element, confirm.element],
    typedPassword(control) {
      const typed = newPassword.control.value;
      if (typed === '') return void control.fail(newPassword.name, 'Enter a new password.');
      if (!samePassword(typed, confirm.control.value)) return void control.fail(confirm.name, PASSWORDS_DIFFER);
      return typed;
    },
  };
}
