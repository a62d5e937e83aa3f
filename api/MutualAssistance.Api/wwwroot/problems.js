/**
 * Problem details shown to the user: in the page's alert region, or beside the fields of a form they name (the
 * `errors` of a validation problem are keyed by the API's field names, which the form's controls carry as
 * `data-field`). Fields the form does not have are listed in the form's own summary.
 */

import { byId, h } from './dom.js';
import { t } from './i18n.js';
import { ProblemError } from './api.js';

export function problemOf(error) {
  return error instanceof ProblemError ? error.problem : { title: t('problem.unexpected'), detail: error?.message };
}

export function problemNode(problem, { omit = [] } = {}) {
  const errors = problem.errors && typeof problem.errors === 'object'
    ? Object.entries(problem.errors).filter(([field]) => !omit.includes(field)) : [];
  return h('div', { class: 'problem' },
    h('p', { class: 'problem-title' },
      problem.title || t('problem.failed'),
      problem.status ? h('span', { class: 'muted' }, ` (HTTP ${problem.status})`) : null),
    problem.detail ? h('p', { class: 'problem-detail' }, problem.detail) : null,
    errors.length
      ? h('ul', { class: 'problem-errors' },
        errors.map(([field, messages]) => h('li', {}, h('code', {}, field), ': ', [].concat(messages).join(' '))))
      : null);
}

export function clearAlerts() {
  byId('alerts').replaceChildren();
}

export function showProblem(problem) {
  const node = problemNode(problem);
  node.append(h('button', { type: 'button', class: 'secondary small', onclick: clearAlerts }, t('action.dismiss')));
  byId('alerts').replaceChildren(node);
}

/** Shows an error in the alert region, unless it was aborted or already handled. */
export function reportError(error) {
  if (!error || error.name === 'AbortError' || error.silent) return;
  showProblem(problemOf(error));
}

/** Clears the messages beside a form's fields. */
export function clearFieldErrors(form) {
  for (const node of form.querySelectorAll('.field-error')) node.remove();
  for (const node of form.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
    const described = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.endsWith('-error')).join(' ');
    if (described) node.setAttribute('aria-describedby', described);
    else node.removeAttribute('aria-describedby');
  }
  form.querySelector('.form-problem')?.replaceChildren();
}

/** The control of `field` in `form`: `data-field` may name a path such as `personsConcerned[0].name`. */
function controlOf(form, field) {
  const controls = [...form.querySelectorAll('[data-field]')];
  return controls.find((c) => c.dataset.field === field)
    ?? controls.find((c) => c.dataset.field.toLowerCase() === field.toLowerCase())
    ?? controls.find((c) => field.toLowerCase().startsWith(`${c.dataset.field.toLowerCase()}[`))
    ?? null;
}

/**
 * Puts each of the problem's field errors beside its control (aria-invalid, aria-describedby) and the rest of the
 * problem in the form's summary; focuses the first invalid control, else the summary.
 */
export function showFormProblem(form, problem) {
  clearFieldErrors(form);
  const placed = [];
  let first = null;
  for (const [field, messages] of Object.entries(problem.errors ?? {})) {
    const control = controlOf(form, field);
    if (!control) continue;
    const id = `${control.id}-error`;
    const message = h('p', { id, class: 'field-error' }, [].concat(messages).join(' '));
    // Beside the control: inside a group (a fieldset of checkboxes), else after the control's field.
    (control.matches('fieldset') ? control : control.closest('.field') ?? control.parentElement).append(message);
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
    placed.push(field);
    first ??= control;
  }
  const summary = form.querySelector('.form-problem');
  summary?.replaceChildren(problemNode(problem, { omit: placed }));
  (first ?? summary)?.focus();
}
