// HTTP adapter, page source: the Password Change Screen as strings (markup, style, script), so esbuild bundles it
// into the function and nothing is fetched from elsewhere. The markup holds no data: the script reads the link's
// token from the URL fragment, asks the API for what to show, and writes every value with textContent.
import { assertInlineable } from '../http/inline-page';

/** The page's one style sheet, inlined; the Content-Security-Policy allows it by its SHA-256 hash. */
export const PAGE_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
  color: #1b1b1f;
  background: #f2f3f5;
}
main { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.card { background: #ffffff; border: 1px solid #c9cdd4; border-radius: 0.5rem; padding: 1.25rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.125rem; line-height: 1.3; margin: 1.25rem 0 0.5rem; }
p { margin: 0 0 0.75rem; }
dl { margin: 0; }
dt { font-size: 0.875rem; font-weight: 600; color: #3d4350; }
dd { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.rules { margin: 0; padding-left: 1.25rem; }
.rules li { margin-bottom: 0.25rem; }
.field { margin-top: 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.password {
  display: block;
  width: 100%;
  font: inherit;
  padding: 0.625rem 0.75rem;
  color: inherit;
  background: #ffffff;
  border: 2px solid #5b6170;
  border-radius: 0.375rem;
}
.password[aria-invalid="true"] { border-color: #b3261e; }
.check { display: flex; align-items: center; gap: 0.5rem; margin-top: 0.75rem; }
.check input { width: 1.25rem; height: 1.25rem; margin: 0; flex: none; }
.check label { font-weight: 400; margin: 0; }
.errors:empty { display: none; }
.errors p { margin: 0.375rem 0 0; color: #b3261e; font-weight: 600; }
.form-error:empty { display: none; }
.form-error { margin: 1rem 0 0; padding: 0.75rem; border-left: 4px solid #b3261e; background: #fdecea; }
button {
  font: inherit;
  font-weight: 600;
  min-height: 2.75rem;
  padding: 0.625rem 1.25rem;
  color: #ffffff;
  background: #1d4ed8;
  border: 0;
  border-radius: 0.375rem;
  cursor: pointer;
}
button:hover { background: #1e3a8a; }
button:disabled { background: #5b6170; cursor: progress; }
.primary { display: block; width: 100%; margin-top: 1.25rem; }
:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
.message { padding: 0.75rem; border-left: 4px solid #1d4ed8; background: #eef2fc; }
.message[data-kind="error"] { border-left-color: #b3261e; background: #fdecea; }
.message:focus { outline: none; }
.message:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
#retry { margin-top: 0.75rem; }
[hidden] { display: none !important; }
@media (min-width: 40rem) {
  main { padding-top: 3rem; }
  .card { padding: 1.75rem 2rem; }
  .primary { width: auto; }
}
`;

/**
 * The page's one script, inlined; the Content-Security-Policy allows it by its SHA-256 hash. Plain JavaScript for
 * any current browser. The token lives only in this script's memory: it is read from the fragment, the fragment
 * is dropped from the address bar at once, and the token travels only in JSON request bodies.
 */
export const PAGE_SCRIPT = `
'use strict';
(() => {
  const LINK_INVALID =
    'This password reset link is not valid: it has expired, was already used or was replaced by a newer one. ' +
    'Ask your master administrator to send you a new link.';
  const NO_TOKEN =
    'This page opens from the link in your password reset email, and the link token is missing. ' +
    'Open the link in the email again; if it no longer works, ask your master administrator to send you a new link.';
  const UNREACHABLE = 'The service could not be reached. Check your connection and try again.';
  const MISMATCH = 'The two passwords do not match. Type the same new password in both fields.';
  const EMPTY = 'Enter a new password.';

  const byId = (id) => document.getElementById(id);
  const message = byId('message');
  const retry = byId('retry');
  const account = byId('account');
  const form = byId('change-password');
  const username = byId('username');
  const newPassword = byId('new-password');
  const confirmPassword = byId('confirm-password');
  const newPasswordErrors = byId('new-password-errors');
  const confirmPasswordErrors = byId('confirm-password-errors');
  const formError = byId('form-error');
  const showPasswords = byId('show-passwords');
  const submit = byId('submit');
  const done = byId('done');

  // The fragment never reaches a server, but it stays in the address bar, history and screenshots: drop it first.
  let token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash !== '') history.replaceState(null, '', location.pathname + location.search);
  // Relative to this page, so a stage prefix in the path (/prod/password-reset) is kept.
  const endpoint = (action) => location.pathname.replace(/\\/+$/, '') + '/' + action;

  async function post(action, body) {
    let response;
    try {
      response = await fetch(endpoint(action), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      return { status: 0, error: {} };
    }
    let parsed;
    try {
      parsed = response.status === 204 ? undefined : await response.json();
    } catch {
      parsed = undefined;
    }
    const error = parsed && typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : {};
    return { status: response.status, body: parsed, error };
  }

  function paragraphs(texts) {
    return texts.map((text) => {
      const paragraph = document.createElement('p');
      paragraph.textContent = text;
      return paragraph;
    });
  }

  function setFieldErrors(input, container, texts) {
    container.replaceChildren(...paragraphs(texts));
    if (texts.length > 0) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function clearErrors() {
    setFieldErrors(newPassword, newPasswordErrors, []);
    setFieldErrors(confirmPassword, confirmPasswordErrors, []);
    formError.textContent = '';
  }

  function say(text, kind) {
    message.textContent = text;
    message.dataset.kind = kind;
    message.hidden = false;
  }

  /** The link cannot be used (or the wait is long): nothing else on the page applies any more. */
  function stop(text) {
    token = null;
    account.hidden = true;
    form.hidden = true;
    retry.hidden = true;
    say(text, 'error');
    message.focus();
  }

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  }

  function showAccount(details) {
    byId('company-name').textContent = details.companyName;
    byId('email').textContent = details.email;
    byId('expires-at').textContent = formatTime(details.expiresAt);
    username.value = details.email;
    const rules = (details.passwordPolicy && details.passwordPolicy.rules) || [];
    byId('policy-rules').replaceChildren(
      ...rules.map((rule) => {
        const item = document.createElement('li');
        item.textContent = rule.message;
        return item;
      }),
    );
    message.hidden = true;
    retry.hidden = true;
    account.hidden = false;
    form.hidden = false;
  }

  async function verify() {
    if (!token) return stop(NO_TOKEN);
    retry.hidden = true;
    say('Checking your link\\u2026', 'info');
    const answer = await post('verify', { token });
    if (answer.status === 200 && answer.body) return showAccount(answer.body);
    // A malformed token is answered 400; to the person it is the same unusable link.
    if (answer.status === 410 || answer.status === 400) return stop(LINK_INVALID);
    if (answer.status === 429) return stop(answer.error.message || UNREACHABLE);
    say(answer.error.message || UNREACHABLE, 'error');
    // A reload would lose the token (the fragment is gone), so offer to ask again from here.
    retry.hidden = false;
    retry.focus();
  }

  function showServerRefusal(error) {
    const byField = { newPassword: [], confirmPassword: [] };
    const elsewhere = [];
    for (const detail of Array.isArray(error.details) ? error.details : []) {
      if (detail && byField[detail.field]) byField[detail.field].push(detail.message);
      else if (detail) elsewhere.push(detail.message);
    }
    if (error.code === 'PASSWORD_MISMATCH' && byField.confirmPassword.length === 0) byField.confirmPassword.push(error.message || MISMATCH);
    setFieldErrors(newPassword, newPasswordErrors, byField.newPassword);
    setFieldErrors(confirmPassword, confirmPasswordErrors, byField.confirmPassword);
    if (byField.newPassword.length === 0 && byField.confirmPassword.length === 0) {
      formError.replaceChildren(...paragraphs(elsewhere.length > 0 ? elsewhere : [error.message || UNREACHABLE]));
    }
    (byField.newPassword.length > 0 ? newPassword : byField.confirmPassword.length > 0 ? confirmPassword : submit).focus();
  }

  function succeed() {
    token = null;
    newPassword.value = '';
    confirmPassword.value = '';
    byId('done-email').textContent = byId('email').textContent;
    account.hidden = true;
    form.hidden = true;
    message.hidden = true;
    done.hidden = false;
    done.focus();
  }

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || !token) return;
    clearErrors();
    const typed = newPassword.value;
    const confirmation = confirmPassword.value;
    if (typed === '') {
      setFieldErrors(newPassword, newPasswordErrors, [EMPTY]);
      return newPassword.focus();
    }
    // Compared as the server compares passwords (NFKC), so an accent typed composed or decomposed is one password.
    if (typed.normalize('NFKC') !== confirmation.normalize('NFKC')) {
      setFieldErrors(confirmPassword, confirmPasswordErrors, [MISMATCH]);
      return confirmPassword.focus();
    }
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const answer = await post('complete', { token, newPassword: typed, confirmPassword: confirmation });
    busy = false;
    submit.disabled = false;
    form.removeAttribute('aria-busy');
    if (answer.status === 204) return succeed();
    if (answer.status === 410) return stop(LINK_INVALID);
    if (answer.status === 429) return stop(answer.error.message || UNREACHABLE);
    showServerRefusal(answer.error);
  });

  showPasswords.addEventListener('change', () => {
    const type = showPasswords.checked ? 'text' : 'password';
    newPassword.type = type;
    confirmPassword.type = type;
  });

  retry.addEventListener('click', () => verify());

  verify();
})();
`;

assertInlineable(PAGE_SCRIPT, PAGE_STYLE);

/** The whole page. Every element the script fills starts empty; nothing from a request is written into it. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>Password Change Screen</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<div class="card">
<h1>Change your password</h1>
<p id="message" class="message" role="status" tabindex="-1" hidden></p>
<noscript><p class="message" data-kind="error">This page needs JavaScript to check your link and change your password.</p></noscript>
<button id="retry" type="button" hidden>Try again</button>
<section id="account" hidden>
<dl>
<dt>Company</dt><dd id="company-name"></dd>
<dt>Administrator email address</dt><dd id="email"></dd>
<dt>This link is valid until</dt><dd id="expires-at"></dd>
</dl>
<h2 id="policy-heading">Password policy</h2>
<ul id="policy-rules" class="rules" aria-labelledby="policy-heading"></ul>
</section>
<form id="change-password" method="post" novalidate hidden>
<input id="username" name="username" type="email" autocomplete="username" readonly hidden>
<div class="field">
<label for="new-password">New password</label>
<input id="new-password" class="password" name="newPassword" type="password" autocomplete="new-password" spellcheck="false" autocapitalize="none" autocorrect="off" required aria-describedby="new-password-errors policy-heading">
<div id="new-password-errors" class="errors" role="alert"></div>
</div>
<div class="field">
<label for="confirm-password">Confirm new password</label>
<input id="confirm-password" class="password" name="confirmPassword" type="password" autocomplete="new-password" spellcheck="false" autocapitalize="none" autocorrect="off" required aria-describedby="confirm-password-errors">
<div id="confirm-password-errors" class="errors" role="alert"></div>
</div>
<div class="check">
<input id="show-passwords" type="checkbox">
<label for="show-passwords">Show passwords</label>
</div>
<div id="form-error" class="form-error" role="alert"></div>
<button id="submit" class="primary" type="submit">Change Password</button>
</form>
<section id="done" class="message" tabindex="-1" aria-labelledby="done-heading" hidden>
<h2 id="done-heading">Your password has been changed</h2>
<p>You can now sign in as <strong id="done-email"></strong> with your new password.</p>
</section>
</div>
</main>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
