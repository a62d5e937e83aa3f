/**
 * A request's page (GET /api/requests/{id}): its facts, its clocks (due in the viewer's zone and the responsible
 * side's), its history with the chain's verification, the exchange's delivery state on a shared request, and a
 * button for each of the caller's allowedActions, opening a form with the fields that action takes. Actions are
 * sent with If-Match from the ETag shown; a 412 (changed meanwhile) reloads the request and says so.
 */

import { byId, definitionList, h } from './dom.js';
import { has, label, t } from './i18n.js';
import { get, getAllPages, getJson } from './api.js';
import { bothZones, formatDateOnly, formatViewer } from './format.js';
import { actionForm } from './forms.js';
import { problemNode, problemOf } from './problems.js';

let page = { id: null, request: null, etag: null, history: [], verification: null, generation: 0, openAction: null, notice: null };
let referenceOf = null;

export function setReference(reference) {
  referenceOf = reference;
}

export const currentId = () => page.id;

function announce(text) {
  page.notice = text;
  const notice = byId('request-notice');
  notice.textContent = text ?? '';
  notice.hidden = !text;
}

/** Opens request `id`; `refresh` re-reads it with If-None-Match (a live change), keeping an open form. */
export async function openRequest(id, { refresh = false } = {}) {
  const same = page.id === id;
  if (!same) page = { id, request: null, etag: null, history: [], verification: null, generation: page.generation + 1, openAction: null, notice: null };
  const { generation } = page;
  const base = `/api/requests/${encodeURIComponent(id)}`;
  if (!page.request) byId('request-body').replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  try {
    const response = await get(base, { headers: refresh && page.etag ? { 'If-None-Match': page.etag } : {} });
    if (generation !== page.generation) return false;
    if (response.status === 304) return false;
    const request = await response.json();
    const [history, verification] = await Promise.all([getAllPages(`${base}/history`), getJson(`${base}/history/verification`)]);
    if (generation !== page.generation) return false;
    Object.assign(page, { request, etag: response.headers.get('ETag'), history, verification });
    if (page.openAction && !request.allowedActions.includes(page.openAction)) page.openAction = null;
    render();
    return true;
  } catch (error) {
    if (generation !== page.generation || error.silent) return false;
    byId('request-body').replaceChildren(h('div', { class: 'alerts inline-alert', role: 'alert' }, problemNode(problemOf(error))));
    return false;
  }
}

function clockCard(clock) {
  const extensions = clock.extensions ?? [];
  const pauses = clock.pauses ?? [];
  const delays = clock.delayNotices ?? [];
  return h('li', { class: `clock-card state-${clock.state}`, dataset: { clock: clock.kind } },
    h('h4', {}, label('clockKind', clock.kind), ' ', h('span', { class: `badge state-${clock.state}` }, label('clockState', clock.state))),
    definitionList([
      [t('clock.responsible'), `${clock.responsibleAuthority} (${label('side', clock.responsibleSide)})`],
      [t('clock.started'), formatViewer(clock.startedAt)],
      [t('clock.due'), clock.provisionalCalendar
        ? h('span', {}, bothZones(h, clock.dueAt, clock.timeZone, clock.dueLocal), ' ',
          h('span', { class: 'hint provisional-calendar', title: clock.calendarNote ?? '' }, t('clock.provisionalCalendar', { note: clock.calendarNote ?? '' })))
        : bothZones(h, clock.dueAt, clock.timeZone, clock.dueLocal)],
      [t('clock.pausedSince'), clock.pausedSince ? formatViewer(clock.pausedSince) : null],
      [t('clock.period'), clock.nature === 'target'
        ? h('span', {}, clock.period, ' ', h('span', { class: 'badge target' }, t('clock.target')), ' ', h('span', { class: 'hint' }, t('clock.setBy', { who: clock.setBy ?? '' })))
        : clock.period],
      [t('clock.source'), clock.source],
      [t('clock.stopped'), clock.stoppedAt ? formatViewer(clock.stoppedAt) : null],
      [t('clock.breached'), clock.breachedAt ? formatViewer(clock.breachedAt) : null],
      [t('clock.escalation'), t('escalation.level', { level: clock.escalationLevel ?? 0 })],
      [t('clock.extensions'), extensions.length ? h('ul', { class: 'plain-list' }, extensions.map((e) => h('li', {},
        t('clock.extension', { count: e.days, at: formatViewer(e.at), by: e.by }), e.reason ? ` — ${e.reason}` : '',
        e.estimate ? ` (${t('actionField.estimate')}: ${formatDateOnly(e.estimate)})` : ''))) : null],
      [t('clock.delayNotices'), delays.length ? h('ul', { class: 'plain-list' }, delays.map((d) => h('li', {},
        t('clock.delayNotice', { at: formatViewer(d.at), by: d.by, estimate: formatDateOnly(d.estimate) }), d.reason ? ` — ${d.reason}` : ''))) : null],
      [t('clock.pauses'), pauses.length ? h('ul', { class: 'plain-list' }, pauses.map((p) => h('li', {},
        `${formatViewer(p.from)} → ${p.until ? formatViewer(p.until) : t('clock.ongoing')} (${p.by})`, p.reason ? ` — ${p.reason}` : ''))) : null],
    ]));
}

/** An event is an action's name (acknowledge, refuse...) or one of the request's own (file, breach, recalculation...). */
function eventLabel(name) {
  return label(has(`event.${name}`) ? 'event' : 'action', name);
}

function historyItem(entry) {
  const changes = entry.clockChanges ?? [];
  const by = entry.subject ? `${entry.subject} (${[entry.authority, entry.role ? label('role', entry.role) : null].filter(Boolean).join(', ')})` : t('history.system');
  return h('li', { class: 'history-entry', dataset: { sequence: String(entry.sequence) } },
    h('p', { class: 'history-head' },
      h('time', { datetime: entry.at }, formatViewer(entry.at, { seconds: true })), ' — ', h('strong', {}, eventLabel(entry.event))),
    h('p', {}, t('history.by', { who: by })),
    entry.reason ? h('p', {}, t('history.reason', { reason: entry.reason })) : null,
    entry.statusBefore && entry.statusBefore !== entry.statusAfter
      ? h('p', {}, t('history.status', { before: label('status', entry.statusBefore), after: label('status', entry.statusAfter) })) : null,
    changes.length ? h('ul', { class: 'clock-changes', 'aria-label': t('history.clockChanges') }, changes.map((c) => h('li', {}, c))) : null,
    h('p', { class: 'muted small-text' }, `#${entry.sequence} · `, h('code', {}, String(entry.hash).slice(0, 12)), '…'));
}

function verificationNode(verification) {
  if (!verification) return null;
  return verification.intact
    ? h('p', { class: 'verified', id: 'history-verification' }, t('history.intact', { count: verification.entries }))
    : h('p', { class: 'broken', id: 'history-verification', role: 'alert' },
      t('history.broken', { at: verification.brokenAt ?? '?' }), verification.detail ? ` ${verification.detail}` : '');
}

function exchangeNode(exchange) {
  if (!exchange) return null;
  const delivery = exchange.delivery === 'delivered'
    ? t('exchange.delivered', { at: formatViewer(exchange.deliveredAt) })
    : t('exchange.pending', { since: formatViewer(exchange.pendingSince), attempts: exchange.attempts });
  return h('section', { class: 'exchange', 'aria-labelledby': 'exchange-heading' },
    h('h3', { id: 'exchange-heading' }, t('exchange.heading')),
    definitionList([
      [t('exchange.peer'), exchange.peer],
      [t('exchange.orderedBy'), exchange.orderedBy],
      [t('exchange.delivery'), delivery],
      [t('exchange.lastError'), exchange.lastError],
      [t('exchange.agreement'), exchange.inAgreement ? t('exchange.inAgreement') : t('exchange.disagreement')],
      [t('exchange.waiting'), exchange.pendingCommands?.length ? exchange.pendingCommands.map((c) => label('action', c.action)).join(', ') : null],
      [t('exchange.lastRefused'), exchange.lastRefused ? `${label('action', exchange.lastRefused.action)}: ${exchange.lastRefused.detail ?? ''}` : null],
    ]));
}

function actionsNode(request) {
  const actions = request.allowedActions ?? [];
  const buttons = h('div', { class: 'action-buttons', role: 'group', 'aria-labelledby': 'actions-heading' },
    actions.map((action) => h('button', {
      type: 'button', class: page.openAction === action ? 'action-button open' : 'action-button',
      'aria-expanded': String(page.openAction === action), 'aria-controls': `action-form-${action}`,
      dataset: { action },
      onclick: () => toggleAction(action),
    }, label('action', action))));
  const form = page.openAction ? actionForm(page.openAction, request, referenceOf, {
    etag: page.etag,
    onDone: async () => {
      const done = page.openAction;
      page.openAction = null;
      page.etag = null;
      await openRequest(request.id);
      announce(t('request.done', { action: label('action', done), status: label('status', page.request?.status) }));
      byId('request-notice').focus();
    },
    onStale: async () => {
      page.etag = null;
      await openRequest(request.id);
      announce(t('request.changedMeanwhile'));
      byId('request-notice').focus();
    },
    onCancel: () => {
      const action = page.openAction;
      page.openAction = null;
      render();
      byId('request-body').querySelector(`button[data-action="${action}"]`)?.focus();
    },
  }) : null;
  return h('section', { class: 'actions', 'aria-labelledby': 'actions-heading' },
    h('h3', { id: 'actions-heading' }, t('request.actions')),
    actions.length ? buttons : h('p', { class: 'muted' }, t('request.noActions')),
    form);
}

function toggleAction(action) {
  page.openAction = page.openAction === action ? null : action;
  render();
  const target = page.openAction
    ? byId(`action-form-${action}`)?.querySelector('input, select, textarea, button[type="submit"]')
    : byId('request-body').querySelector(`button[data-action="${action}"]`);
  target?.focus();
}

export function render() {
  const { request, history, verification } = page;
  if (!request) return;
  byId('request-title').textContent = request.subject || t('request.noSubject');
  const persons = request.personsConcerned ?? [];
  byId('request-body').replaceChildren(
    h('p', { class: 'request-status' }, h('span', { class: 'badge status-badge', id: 'request-status' }, label('status', request.status)),
      ' ', t('request.version', { version: request.version })),
    definitionList([
      [t('request.parties'), t('request.partiesValue', { requesting: request.requestingAuthority, requested: request.requestedAuthority })],
      [t('file.legalBasis'), label('legalBasis', request.legalBasis) + (request.treaty ? ` — ${t('request.treatyAsFiled', { treaty: request.treaty })}` : '')],
      [t('file.assistanceTypes'), request.assistanceTypes.map((a) => label('assistanceType', a)).join(', ')],
      [t('file.urgency'), label('urgency', request.urgency)],
      [t('file.requestedBy'), request.requestedBy ? formatDateOnly(request.requestedBy) : null],
      [t('file.requestedByReasons'), request.requestedByReasons],
      [t('request.received'), formatViewer(request.receivedAt)],
      [t('request.filed'), t('request.filedBy', { at: formatViewer(request.filedAt), by: request.filedByAuthority })],
      [t('file.requestingReference'), request.requestingReference],
      [t('actionField.requestedReference'), request.requestedReference],
      [t('actionField.forwardedTo'), request.forwardedTo],
      [t('actionField.servedOn'), request.servedOn ? `${request.servedOn}${request.servedAt ? ` (${formatViewer(request.servedAt)})` : ''}` : null],
      [t('file.confidential'), request.confidential ? t('common.yes') : null],
      [t('request.escalation'), t('escalation.level', { level: request.escalationLevel ?? 0 })],
      [t('request.erased'), request.erasedAt ? formatViewer(request.erasedAt) : null],
    ]),
    actionsNode(request),
    h('section', { 'aria-labelledby': 'facts-heading' }, h('h3', { id: 'facts-heading' }, t('file.summaryOfFacts')),
      h('p', { class: 'facts-text' }, request.summaryOfFacts)),
    persons.length ? h('section', { 'aria-labelledby': 'persons-heading' }, h('h3', { id: 'persons-heading' }, t('file.persons')),
      h('ul', { class: 'plain-list' }, persons.map((p) => h('li', {}, `${p.name} — ${p.role}${p.nationality ? ` (${p.nationality})` : ''}`)))) : null,
    h('section', { 'aria-labelledby': 'clocks-heading' }, h('h3', { id: 'clocks-heading' }, t('request.clocks')),
      request.clocks.length ? h('ul', { class: 'clock-list' }, request.clocks.map(clockCard)) : h('p', { class: 'muted' }, t('request.noClocks'))),
    exchangeNode(request.exchange),
    h('section', { 'aria-labelledby': 'history-heading' }, h('h3', { id: 'history-heading' }, t('request.history')),
      verificationNode(verification),
      h('ol', { class: 'history', 'aria-label': t('history.order') }, history.map(historyItem))));
  announce(page.notice);
}

export function reset() {
  page = { id: null, request: null, etag: null, history: [], verification: null, generation: page.generation + 1, openAction: null, notice: null };
  byId('request-body').replaceChildren();
  announce(null);
}

/** Forgets the notice of an earlier visit when the user navigates to the page again. */
export function clearNotice() {
  announce(null);
}
