/**
 * Forms that know the contract: the filing form (POST /api/requests) offers the directory's authorities, the legal
 * bases binding the two chosen authorities' states, and the reference's assistance types and urgencies; each action's form asks for the fields the reference
 * lists for that action. What the API refuses comes back as problem details, shown beside the fields they name.
 */

import { byId, h } from './dom.js';
import { label, t } from './i18n.js';
import { getJson, post, ProblemError } from './api.js';
import { clearFieldErrors, problemOf, showFormProblem } from './problems.js';
import * as auth from './session.js';

let sequence = 0;
const nextId = (name) => `${name.replace(/[^\w-]/g, '-')}-${++sequence}`;

/** A labelled control; `field` is the API's field name (problem details name it). */
export function field({ name, text, control, hint, required = false }) {
  const id = control.id || nextId(name);
  control.id = id;
  control.dataset.field = name;
  if (required) control.required = true;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id }, text, required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
}

export const input = (attrs = {}) => h('input', { type: 'text', autocomplete: 'off', ...attrs });
export const textarea = (attrs = {}) => h('textarea', { rows: 3, ...attrs });

export function select(options, { empty = null, value = '' } = {}) {
  const node = h('select', {},
    empty === null ? null : h('option', { value: '' }, empty),
    options.map(([v, text]) => h('option', { value: v }, text)));
  node.value = value;
  return node;
}

const authorityOptions = (authorities) =>
  [...authorities.values()].map((a) => [a.code, `${a.code} — ${a.name} (${a.state})`]);

/* -------------------------------------------------------------- filing */

let filingKey = null;
/** The reference's field limits (GET /api/reference), kept by renderFilingForm for the person rows added later. */
let limits = null;

function personRow(index) {
  const row = h('fieldset', { class: 'person', dataset: { index: String(index) } },
    h('legend', {}, t('file.person', { number: index + 1 })),
    field({ name: `personsConcerned[${index}].name`, text: t('file.personName'), control: input({ autocomplete: 'off' }), required: true }),
    field({ name: `personsConcerned[${index}].role`, text: t('file.personRole'), control: input(), hint: t('file.personRoleHint'), required: true }),
    field({ name: `personsConcerned[${index}].nationality`, text: t('file.personNationality'), control: input({ maxlength: limits.personNationality, size: 4 }), hint: t('file.personNationalityHint') }),
    h('button', { type: 'button', class: 'secondary small', 'data-remove-person': '' }, t('file.removePerson')));
  return row;
}

function renumberPersons(container) {
  [...container.querySelectorAll('fieldset.person')].forEach((row, index) => {
    row.dataset.index = String(index);
    row.querySelector('legend').textContent = t('file.person', { number: index + 1 });
    for (const control of row.querySelectorAll('[data-field]')) {
      control.dataset.field = control.dataset.field.replace(/personsConcerned\[\d+\]/, `personsConcerned[${index}]`);
    }
  });
}

/** Builds the filing form from the reference (again after a language change; what was typed is kept). */
export function renderFilingForm(reference) {
  const form = byId('file-form');
  const previous = form.querySelector('[data-field]') ? readFiling(form) : null;
  limits = reference.limits;
  const own = auth.current()?.user.authority ?? '';
  const authorities = authorityOptions(reference.authorities);
  const types = h('fieldset', { class: 'checks', 'data-field': 'assistanceTypes', tabindex: '-1', id: 'file-assistance-types' },
    h('legend', {}, t('file.assistanceTypes'), h('span', { class: 'required', 'aria-hidden': 'true' }, ' *')),
    reference.assistanceTypes.map((type) => {
      const id = nextId(`type-${type}`);
      return h('div', { class: 'field-check' },
        h('input', { type: 'checkbox', id, name: 'assistanceTypes', value: type }),
        h('label', { for: id }, label('assistanceType', type)));
    }));
  const persons = h('div', { id: 'file-persons', class: 'persons' });
  form.replaceChildren(
    h('p', { class: 'hint' }, t('file.intro')),
    h('div', { class: 'form-grid' },
      field({ name: 'requestingAuthority', text: t('file.requestingAuthority'), control: select(authorities, { empty: t('file.choose'), value: own }), required: true }),
      field({ name: 'requestedAuthority', text: t('file.requestedAuthority'), control: select(authorities, { empty: t('file.choose') }), required: true }),
      field({ name: 'legalBasis', text: t('file.legalBasis'), control: select([], { empty: t('file.chooseAuthoritiesFirst') }), hint: t('file.legalBasisHint'), required: true }),
      field({ name: 'urgency', text: t('file.urgency'), control: select(reference.urgencies.map((u) => [u, label('urgency', u)]), { value: reference.urgencies[0] }) }),
      field({ name: 'requestedBy', text: t('file.requestedBy'), control: input({ type: 'date' }), hint: t('file.requestedByHint') }),
      field({ name: 'requestedByReasons', text: t('file.requestedByReasons'), control: textarea({ rows: 2, maxlength: limits.actionText }), hint: t('file.requestedByReasonsHint') }),
      field({ name: 'receivedAt', text: t('file.receivedAt'), control: input({ type: 'datetime-local' }), hint: t('file.receivedAtHint') }),
      field({ name: 'requestingReference', text: t('file.requestingReference'), control: input() }),
      field({ name: 'language', text: t('file.language'), control: input({ maxlength: limits.language, size: 8 }), hint: t('file.languageHint') })),
    types,
    field({ name: 'subject', text: t('file.subject'), control: input({ maxlength: limits.subject }), hint: t('file.subjectHint'), required: true }),
    field({ name: 'summaryOfFacts', text: t('file.summaryOfFacts'), control: textarea({ rows: 5 }), required: true }),
    h('fieldset', { class: 'persons-group' },
      h('legend', {}, t('file.persons')),
      persons,
      h('button', { type: 'button', class: 'secondary', id: 'file-add-person' }, t('file.addPerson'))),
    h('div', { class: 'field-check' },
      h('input', { type: 'checkbox', id: 'file-confidential', 'data-field': 'confidential' }),
      h('label', { for: 'file-confidential' }, t('file.confidential'))),
    h('div', { class: 'form-problem', tabindex: '-1', 'aria-live': 'polite' }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', id: 'file-submit' }, t('file.submit')),
      h('button', { type: 'reset', class: 'secondary' }, t('file.clear'))));
  form.querySelector('[data-field="requestingAuthority"]').addEventListener('change', () => offerBindingBases(form));
  form.querySelector('[data-field="requestedAuthority"]').addEventListener('change', () => offerBindingBases(form));
  const offered = offerBindingBases(form);
  if (previous) offered.then(() => restoreFiling(form, previous));
}

/**
 * Offers the legal bases that bind both authorities' states today (GET /api/reference/legal-bases): the catalogue
 * decides, the page restates nothing. The hint says through whom each basis runs and whom the requested state
 * designated under it.
 */
async function offerBindingBases(form) {
  const control = form.querySelector('[data-field="legalBasis"]');
  const hint = byId(`${control.id}-hint`);
  const requesting = valueOf(form, 'requestingAuthority');
  const requested = valueOf(form, 'requestedAuthority');
  const chosen = control.value;
  if (!requesting || !requested || requesting === requested) {
    control.replaceChildren(h('option', { value: '' }, t('file.chooseAuthoritiesFirst')));
    hint.textContent = t('file.legalBasisHint');
    return;
  }

  const query = new URLSearchParams({ requestingAuthority: requesting, requestedAuthority: requested });
  const bases = await getJson(`/api/reference/legal-bases?${query}`).catch(() => []);
  control.replaceChildren(
    h('option', { value: '' }, bases.length ? t('file.choose') : t('file.noBindingBasis')),
    ...bases.map((b) => h('option', { value: b.basis.code }, `${label('legalBasis', b.basis.code)} (${b.basis.article})`)));
  control.value = bases.some((b) => b.basis.code === chosen) ? chosen : '';
  const describe = () => {
    const basis = bases.find((b) => b.basis.code === control.value);
    hint.textContent = !basis ? t('file.legalBasisHint')
      : basis.requestedStateDesignated.length ? t('file.designated', { authorities: basis.requestedStateDesignated.join(', ') })
      : t('file.noDesignation');
  };
  control.onchange = describe;
  describe();
}

function valueOf(form, name) {
  const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!control) return undefined;
  if (control.type === 'checkbox') return control.checked;
  const value = control.value.trim();
  return value === '' ? undefined : value;
}

function readFiling(form) {
  const persons = [...form.querySelectorAll('fieldset.person')].map((row) => {
    const get = (part) => row.querySelector(`[data-field$=".${part}"]`)?.value.trim() || undefined;
    return { name: get('name'), role: get('role'), nationality: get('nationality')?.toUpperCase() };
  });
  const receivedAt = valueOf(form, 'receivedAt');
  return {
    requestingAuthority: valueOf(form, 'requestingAuthority'),
    requestedAuthority: valueOf(form, 'requestedAuthority'),
    legalBasis: valueOf(form, 'legalBasis'),
    assistanceTypes: [...form.querySelectorAll('input[name="assistanceTypes"]:checked')].map((c) => c.value),
    urgency: valueOf(form, 'urgency'),
    requestedBy: valueOf(form, 'requestedBy'),
    requestedByReasons: valueOf(form, 'requestedByReasons'),
    receivedAt: receivedAt ? new Date(receivedAt).toISOString() : undefined,
    subject: valueOf(form, 'subject'),
    summaryOfFacts: valueOf(form, 'summaryOfFacts'),
    personsConcerned: persons,
    requestingReference: valueOf(form, 'requestingReference'),
    language: valueOf(form, 'language'),
    confidential: valueOf(form, 'confidential') ?? false,
  };
}

function restoreFiling(form, body) {
  for (const [name, value] of Object.entries(body)) {
    if (name === 'assistanceTypes' || name === 'personsConcerned' || name === 'receivedAt' || value === undefined) continue;
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (control?.type === 'checkbox') control.checked = Boolean(value);
    else if (control) control.value = value;
  }
  for (const box of form.querySelectorAll('input[name="assistanceTypes"]')) box.checked = body.assistanceTypes.includes(box.value);
  const persons = byId('file-persons');
  body.personsConcerned.forEach((person, index) => {
    const row = personRow(index);
    persons.append(row);
    for (const part of ['name', 'role', 'nationality']) row.querySelector(`[data-field$=".${part}"]`).value = person[part] ?? '';
  });
}

async function submitFiling(event, onFiled) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = byId('file-submit');
  const body = readFiling(form);
  // One key per filing: a retry after a lost answer files the same request once.
  filingKey ??= crypto.randomUUID();
  button.disabled = true;
  clearFieldErrors(form);
  try {
    const response = await post('/api/requests', body, { headers: { 'Idempotency-Key': filingKey } });
    const filed = await response.json();
    filingKey = null;
    form.reset();
    byId('file-persons').replaceChildren();
    onFiled(filed);
  } catch (error) {
    if (error.silent) return;
    if (error instanceof ProblemError && error.status !== 422) filingKey = null; // refused: a corrected form is a new filing
    showFormProblem(form, problemOf(error));
  } finally {
    button.disabled = false;
  }
}

export function wireFilingForm(onFiled) {
  const form = byId('file-form');
  form.addEventListener('submit', (event) => submitFiling(event, onFiled));
  form.addEventListener('reset', () => { filingKey = null; clearFieldErrors(form); setTimeout(() => byId('file-persons')?.replaceChildren(), 0); });
  form.addEventListener('click', (event) => {
    if (event.target.id === 'file-add-person') {
      const persons = byId('file-persons');
      const row = personRow(persons.children.length);
      persons.append(row);
      row.querySelector('input').focus();
    } else if (event.target.matches('[data-remove-person]')) {
      const persons = byId('file-persons');
      event.target.closest('fieldset.person').remove();
      renumberPersons(persons);
      byId('file-add-person').focus();
    }
  });
}

/* -------------------------------------------------------------- actions */

/** The control an action's field needs; `request` gives the clocks an extension may name. */
function actionControl(name, request, reference) {
  switch (name) {
    case 'clock': {
      // A breached clock is open too: it may still be extended, and its delay reported (EIO art. 12(5)-(6)).
      const open = request.clocks.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'breached');
      return select(open.map((c) => [c.kind, label('clockKind', c.kind)]), { value: open[0]?.kind ?? '' });
    }
    case 'days': return input({ type: 'number', min: 1, max: reference.limits.extensionDays, step: 1, inputmode: 'numeric' });
    case 'estimate': return input({ type: 'date' });
    case 'servedAt': return input({ type: 'datetime-local' });
    case 'forwardedTo': return select(authorityOptions(reference.authorities), { empty: t('file.choose') });
    case 'reason': case 'grounds': case 'note': return textarea();
    default: return input();
  }
}

function readAction(form) {
  const body = {};
  for (const control of form.querySelectorAll('[data-field]')) {
    const value = control.value.trim();
    if (value === '') continue;
    const name = control.dataset.field;
    if (name === 'days') body.days = Number(value);
    else if (name === 'servedAt') body.servedAt = new Date(value).toISOString();
    else body[name] = value;
  }
  return body;
}

/**
 * The form of one action: its fields from the reference, a submit that sends If-Match with the version shown.
 * `onDone()` runs on success; `onStale()` on 412 (changed meanwhile); other problems stay in the form.
 */
export function actionForm(action, request, reference, { etag, onDone, onStale, onCancel }) {
  const fields = reference.fieldsOf(action);
  const id = `action-form-${action}`;
  const form = h('form', { class: 'action-form', id, 'aria-labelledby': `${id}-title`, novalidate: true },
    h('h4', { id: `${id}-title` }, label('action', action)),
    h('p', { class: 'hint' }, t(`actionHelp.${action}`)),
    fields.map((f) => field({ name: f.name, text: t(`actionField.${f.name}`), control: actionControl(f.name, request, reference), required: f.required })),
    h('div', { class: 'form-problem', tabindex: '-1', 'aria-live': 'polite' }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit' }, t('action.confirm', { action: label('action', action) })),
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('action.cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    clearFieldErrors(form);
    try {
      await post(`/api/requests/${request.id}/actions/${action}`, readAction(form), { headers: { 'If-Match': etag } });
      await onDone();
    } catch (error) {
      if (error.silent) return;
      if (error instanceof ProblemError && error.status === 412) await onStale();
      else showFormProblem(form, problemOf(error));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
