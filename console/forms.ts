// Console (browser): form fields with their label, hint and error area, and the one place that puts a refusal of
// the API next to the field it concerns (`error.details[].field` names the request field).
import { ApiError } from './api';
import { h, uniqueId, type Child } from './dom';

type Control = HTMLInputElement | HTMLSelectElement;

/** One form control, named as the request field it fills. */
export interface Field {
  readonly name: string;
  readonly control: Control;
  readonly element: HTMLElement;
  readonly errors: HTMLElement;
}

/** Joins ids for aria-describedby, skipping empty ones. */
const ids = (...list: (string | undefined)[]): string => list.filter(Boolean).join(' ');

export interface InputOptions {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'email' | 'password' | 'number';
  readonly value?: string;
  readonly autocomplete?: string;
  readonly hint?: Child;
  /** Further ids the control is described by (a policy checklist). */
  readonly describedBy?: string;
  readonly min?: number;
  readonly max?: number;
  readonly required?: boolean;
}

/** The ids and the hint and error areas every field has; the control is described by the hint, then the errors. */
function fieldParts(name: string, hint: Child | undefined) {
  const id = uniqueId(name);
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const errorsId = `${id}-errors`;
  return {
    id,
    hintId,
    errorsId,
    hint: hintId === undefined ? null : h('div', { id: hintId, class: 'hint' }, hint),
    errors: h('div', { id: errorsId, class: 'errors' }),
  };
}

/** A label above its control, as text inputs and selects have it. */
function labelledField<C extends Control>(name: string, label: string, parts: ReturnType<typeof fieldParts>, control: C): Field & { control: C } {
  const element = h('div', { class: 'field' }, h('label', { for: parts.id }, label), parts.hint, control, parts.errors);
  return { name, control, element, errors: parts.errors };
}

export function inputField(options: InputOptions): Field {
  const parts = fieldParts(options.name, options.hint);
  const isPassword = options.type === 'password';
  const control = h('input', {
    id: parts.id,
    name: options.name,
    type: options.type ?? 'text',
    value: options.value ?? '',
    autocomplete: options.autocomplete ?? 'off',
    required: options.required ?? true,
    min: options.min,
    max: options.max,
    inputmode: options.type === 'number' ? 'numeric' : undefined,
    spellcheck: isPassword || options.type === 'email' ? 'false' : undefined,
    autocapitalize: isPassword || options.type === 'email' ? 'none' : undefined,
    'aria-describedby': ids(parts.hintId, options.describedBy, parts.errorsId),
  });
  // A refusal concerns what was typed then: editing the field clears it.
  control.addEventListener('input', () => {
    parts.errors.replaceChildren();
    control.removeAttribute('aria-invalid');
  });
  return labelledField(options.name, options.label, parts, control);
}

export function selectField(options: { name: string; label: string; value: string; choices: readonly (readonly [string, string])[]; hint?: Child }): Field & {
  control: HTMLSelectElement;
} {
  const parts = fieldParts(options.name, options.hint);
  const control = h(
    'select',
    { id: parts.id, name: options.name, 'aria-describedby': ids(parts.hintId, parts.errorsId) },
    ...options.choices.map(([value, text]) => h('option', { value, selected: value === options.value }, text)),
  );
  return labelledField(options.name, options.label, parts, control);
}

/** A checkbox, its label beside it. */
export function checkboxField(options: { name: string; label: string; checked: boolean; hint?: Child }): Field & { control: HTMLInputElement } {
  const parts = fieldParts(options.name, options.hint);
  const control = h('input', { id: parts.id, name: options.name, type: 'checkbox', checked: options.checked, 'aria-describedby': ids(parts.hintId, parts.errorsId) });
  const element = h('div', { class: 'field check' }, h('div', { class: 'check-row' }, control, h('label', { for: parts.id }, options.label)), parts.hint, parts.errors);
  return { name: options.name, control, element, errors: parts.errors };
}

/** One choice of several, as radio buttons in a fieldset named by its legend; each choice may carry a hint. */
export function radioGroup(options: { name: string; legend: string; value: string; choices: readonly (readonly [value: string, label: string, hint?: string])[] }): {
  readonly element: HTMLFieldSetElement;
  readonly value: () => string;
} {
  const radios = options.choices.map(([value, label, hint]) => {
    const parts = fieldParts(`${options.name}-${value}`, hint);
    const control = h('input', { id: parts.id, name: options.name, type: 'radio', value, checked: value === options.value, 'aria-describedby': parts.hintId });
    return { control, element: h('div', { class: 'field check' }, h('div', { class: 'check-row' }, control, h('label', { for: parts.id }, label)), parts.hint) };
  });
  return {
    element: h('fieldset', { class: 'choices' }, h('legend', null, options.legend), ...radios.map((radio) => radio.element)),
    value: () => radios.find((radio) => radio.control.checked)?.control.value ?? options.value,
  };
}

/** A checkbox that shows or hides every password field of its form. */
export function showPasswordsToggle(fields: readonly Field[]): HTMLElement {
  const toggle = checkboxField({ name: 'showPasswords', label: 'Show passwords', checked: false });
  toggle.control.addEventListener('change', () => {
    for (const field of fields) if (field.control instanceof HTMLInputElement) field.control.type = toggle.control.checked ? 'text' : 'password';
  });
  return toggle.element;
}

/**
 * A form's fields, its form-level error area and its submit button: shows errors where they belong, and keeps a
 * second submission from starting while one is under way.
 */
export class FormControl {
  readonly formError = h('div', { class: 'form-error', role: 'alert', tabindex: -1 });
  #busy = false;

  constructor(
    readonly form: HTMLFormElement,
    readonly fields: readonly Field[],
  ) {}

  field(name: string): Field | undefined {
    return this.fields.find((field) => field.name === name);
  }

  clear(): void {
    for (const field of this.fields) this.setFieldErrors(field, []);
    this.formError.replaceChildren();
  }

  setFieldErrors(field: Field, texts: readonly string[]): void {
    field.errors.replaceChildren(...texts.map((text) => h('p', null, text)));
    if (texts.length > 0) field.control.setAttribute('aria-invalid', 'true');
    else field.control.removeAttribute('aria-invalid');
  }

  /** An error found in the browser, before anything is sent: shown at the field, which gets the focus. */
  fail(name: string, text: string): void {
    const field = this.field(name);
    if (field === undefined) return this.failForm([text]);
    this.setFieldErrors(field, [text]);
    field.control.focus();
  }

  failForm(texts: readonly (string | Node)[]): void {
    this.formError.replaceChildren(...texts.map((text) => (typeof text === 'string' ? h('p', null, text) : text)));
    this.formError.focus();
  }

  /** The server's refusal: each detail next to the field it names, the rest (or the message) above the button. */
  showServerError(error: unknown): void {
    if (!(error instanceof ApiError)) {
      console.error(error);
      return this.failForm(['Something went wrong in the console. Reload the page and try again.']);
    }
    const byField = new Map<Field, string[]>();
    const elsewhere: string[] = [];
    for (const detail of error.details) {
      const field = detail.field === undefined ? undefined : this.field(detail.field);
      if (field === undefined) elsewhere.push(detail.message);
      else byField.set(field, [...(byField.get(field) ?? []), detail.message]);
    }
    for (const [field, texts] of byField) this.setFieldErrors(field, texts);
    const first = this.fields.find((field) => byField.has(field));
    if (first === undefined) this.failForm([error.message, ...elsewhere.filter((text) => text !== error.message)]);
    else {
      if (elsewhere.length > 0) this.formError.replaceChildren(...elsewhere.map((text) => h('p', null, text)));
      first.control.focus();
    }
  }

  /** Runs a submission with the form marked busy; a second one is ignored while the first runs. */
  async submit(work: () => Promise<void>): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.form.setAttribute('aria-busy', 'true');
    const buttons = [...this.form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      this.clear();
      await work();
    } catch (error) {
      this.showServerError(error);
    } finally {
      this.#busy = false;
      this.form.removeAttribute('aria-busy');
      for (const button of buttons) button.disabled = false;
    }
  }
}

/** A form that never submits by itself (novalidate: the server's messages, not the browser's, are shown). */
export function formOf(label: string, onSubmit: () => void, ...children: Child[]): HTMLFormElement {
  return h(
    'form',
    {
      novalidate: true,
      'aria-label': label,
      onsubmit: (event: Event) => {
        event.preventDefault();
        onSubmit();
      },
    },
    ...children,
  );
}
