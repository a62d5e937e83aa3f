/** The request list (GET /api/requests): the authority's requests, newest first, with its filters and person search. */

import { byId, h } from './dom.js';
import { label, t } from './i18n.js';
import { getJson, ProblemError } from './api.js';
import { formatViewer } from './format.js';
import { clearFieldErrors, problemOf, reportError, showFormProblem } from './problems.js';

let list = { items: [], nextCursor: null, query: null, generation: 0, loaded: false };

function query() {
  const form = byId('list-filters');
  const params = new URLSearchParams();
  for (const control of form.querySelectorAll('[data-field]')) {
    const value = control.type === 'checkbox' ? (control.checked ? 'true' : '') : control.value.trim();
    if (value) params.set(control.dataset.field, value);
  }
  return params.toString();
}

export function setReference(reference) {
  for (const [id, kind, values] of [['l-status', 'status', reference.statuses], ['l-legal-basis', 'legalBasis', reference.legalBases]]) {
    const select = byId(id);
    const chosen = select.value;
    select.replaceChildren(h('option', { value: '' }, t('filter.any')), ...values.map((v) => h('option', { value: v }, label(kind, v))));
    select.value = chosen;
  }
}

export async function loadList({ more = false } = {}) {
  const form = byId('list-filters');
  const q = more ? list.query : query();
  const generation = more ? list.generation : list.generation + 1;
  if (!more) list = { ...list, query: q, generation };
  const params = new URLSearchParams(q);
  if (more && list.nextCursor) params.set('cursor', list.nextCursor);
  byId('list-region').setAttribute('aria-busy', 'true');
  try {
    const page = await getJson(`/api/requests${params.size ? `?${params}` : ''}`);
    if (generation !== list.generation) return;
    clearFieldErrors(form);
    list.items = more ? list.items.concat(page.items ?? []) : (page.items ?? []);
    list.nextCursor = page.nextCursor ?? null;
    list.loaded = true;
    render();
  } catch (error) {
    if (error instanceof ProblemError && error.problem.errors) showFormProblem(form, problemOf(error));
    else reportError(error);
  } finally {
    byId('list-region').removeAttribute('aria-busy');
  }
}

function row(item) {
  return h('tr', { dataset: { requestId: item.id }, class: item.overdue ? 'overdue' : null },
    h('th', { scope: 'row' }, h('a', { href: `#/requests/${item.id}` }, item.subject || t('request.noSubject'))),
    h('td', { class: 'status' }, label('status', item.status)),
    h('td', {}, item.requestingAuthority),
    h('td', {}, item.requestedAuthority),
    h('td', {}, label('legalBasis', item.legalBasis)),
    h('td', {}, label('urgency', item.urgency)),
    h('td', {}, h('time', { datetime: item.filedAt }, formatViewer(item.filedAt))),
    h('td', {}, item.nextDueAt ? h('time', { datetime: item.nextDueAt }, formatViewer(item.nextDueAt)) : '—',
      item.overdue ? h('span', { class: 'marker marker-overdue small-text' }, t('board.overdue')) : null),
    h('td', { class: 'num' }, t('escalation.level', { level: item.escalationLevel ?? 0 })));
}

export function render() {
  byId('requests').tBodies[0].replaceChildren(...list.items.map(row));
  byId('requests-empty').hidden = !list.loaded || list.items.length > 0;
  byId('requests-more').hidden = !list.nextCursor;
  byId('requests-summary').textContent = list.loaded ? t('list.summary', { count: list.items.length }) : '';
}

export function reset() {
  list = { items: [], nextCursor: null, query: null, generation: list.generation + 1, loaded: false };
  render();
}

export function wireList() {
  const form = byId('list-filters');
  form.addEventListener('submit', (event) => { event.preventDefault(); loadList(); });
  form.addEventListener('change', (event) => { if (event.target.tagName === 'SELECT' || event.target.type === 'checkbox') loadList(); });
  form.addEventListener('reset', () => setTimeout(() => loadList(), 0));
  byId('requests-more').addEventListener('click', () => loadList({ more: true }));
}
