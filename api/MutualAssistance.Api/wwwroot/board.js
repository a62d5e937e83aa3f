/**
 * The deadline board (GET /api/deadlines): the authority's open clocks, soonest due first, with filters. It reloads
 * on every change the stream announces, with If-None-Match (a 304 keeps the rows), and on the polling fallback.
 */

import { byId, h } from './dom.js';
import { label, t, formatNumber } from './i18n.js';
import { get, getJson } from './api.js';
import { bothZones, formatTimeOfDay, formatViewer, parseDate, viewerZone } from './format.js';
import { reportError } from './problems.js';

const DUE_SOON_MS = 7 * 24 * 60 * 60 * 1000;
const PARTNER_DEBOUNCE_MS = 400;

let board = fresh();
let partnerTimer = 0;
let lastOutcome = null;
let authorities = new Map(); // the directory: names on hover, the partner filter's suggestions

function fresh(generation = 0) {
  return { query: null, etag: null, items: [], nextCursor: null, asOf: null, loaded: false, generation, controller: null };
}

function filterQuery() {
  const params = new URLSearchParams();
  const side = byId('f-side').value;
  const within = byId('f-within').value;
  const level = Number(byId('f-min-level').value);
  const partner = byId('f-partner').value.trim();
  const legalBasis = byId('f-legal-basis').value;
  if (side) params.set('side', side);
  if (byId('f-overdue').checked) params.set('overdue', 'true');
  if (byId('f-provisional').checked) params.set('provisionalCalendar', 'true');
  if (within) params.set('within', within);
  if (level > 0) params.set('minEscalationLevel', String(level));
  if (partner) params.set('partner', partner);
  if (legalBasis) params.set('legalBasis', legalBasis);
  return params.toString();
}

const deadlinesUrl = (query, cursor) => {
  const params = new URLSearchParams(query);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/api/deadlines?${search}` : '/api/deadlines';
};

function setRefreshStatus(outcome, when = new Date()) {
  lastOutcome = { outcome, when };
  byId('refresh-status').textContent = t('board.checked', { time: formatTimeOfDay(when), outcome: t(`board.outcome.${outcome}`) });
}

/** Loads the board for the current filters; `conditional` sends the ETag of the rows shown (a refresh). */
export async function loadBoard({ conditional = false } = {}) {
  const query = filterQuery();
  const sameQuery = board.loaded && query === board.query;
  if (!sameQuery) {
    board.controller?.abort();
    board = { ...fresh(board.generation + 1), items: board.items, query, controller: new AbortController() };
  }
  const { generation, controller } = board;
  const region = byId('board-region');
  region.setAttribute('aria-busy', 'true');
  try {
    const response = await get(deadlinesUrl(query), {
      headers: conditional && sameQuery && board.etag ? { 'If-None-Match': board.etag } : {},
      signal: controller?.signal,
    });
    if (generation !== board.generation) return;
    if (response.status === 304) {
      setRefreshStatus('notModified');
      return;
    }
    const page = await response.json();
    if (generation !== board.generation) return;
    Object.assign(board, {
      items: page?.items ?? [], nextCursor: page?.nextCursor ?? null, asOf: page?.asOf ?? null,
      etag: response.headers.get('ETag'), loaded: true,
    });
    render();
    setRefreshStatus('updated');
  } catch (error) {
    if (generation !== board.generation) return;
    setRefreshStatus('failed');
    reportError(error);
  } finally {
    if (generation === board.generation) region.removeAttribute('aria-busy');
  }
}

async function loadMore() {
  const { nextCursor, query, generation, controller } = board;
  if (!nextCursor) return;
  const button = byId('board-more');
  const firstNew = board.items.length;
  button.disabled = true;
  try {
    const page = await getJson(deadlinesUrl(query, nextCursor), { signal: controller?.signal });
    if (generation !== board.generation) return;
    board.items = board.items.concat(page?.items ?? []);
    board.nextCursor = page?.nextCursor ?? null;
    render();
    byId('board').tBodies[0].rows[firstNew]?.querySelector('a')?.focus();
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

function urgencyOf(item, asOfMs) {
  if (item.overdue || item.state === 'breached') return 'overdue';
  const due = parseDate(item.dueAt);
  if (!due) return 'paused';
  return due.getTime() - asOfMs <= DUE_SOON_MS ? 'dueSoon' : 'normal';
}

function remainingText(item, urgency) {
  if (urgency === 'overdue') {
    const by = item.overdueBy;
    if (by?.workingDays > 0) return t('board.overdueDays', { count: by.workingDays });
    if (typeof by?.hours === 'number') return t('board.overdueHours', { count: by.hours, hours: formatNumber(by.hours, 1) });
    return t('board.overdue');
  }
  if (urgency === 'paused') return t('board.paused');
  const days = item.remaining?.workingDays;
  const left = typeof days === 'number' ? t('board.daysLeft', { count: days }) : t('board.running');
  return urgency === 'dueSoon' ? t('board.dueSoon', { left }) : left;
}

function authorityCell(code, note) {
  return h('td', {}, h('span', { title: authorities?.get(code)?.name ?? null }, code ?? '—'), note ? h('span', { class: 'muted small-text' }, note) : null);
}

/** The directory and the legal bases, for the filters. */
export function setReference(reference) {
  authorities = reference.authorities;
  byId('authority-list').replaceChildren(...[...authorities.values()].map((a) => h('option', { value: a.code }, `${a.name} (${a.state})`)));
  const select = byId('f-legal-basis');
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '' }, t('filter.any')),
    ...reference.legalBases.map((basis) => h('option', { value: basis }, label('legalBasis', basis))));
  select.value = chosen;
}

function row(item, asOfMs) {
  const urgency = urgencyOf(item, asOfMs);
  const hours = urgency === 'overdue' ? item.overdueBy?.hours : item.remaining?.hours;
  return h('tr', {
    class: urgency === 'normal' ? null : (urgency === 'dueSoon' ? 'due-soon' : urgency),
    dataset: { requestId: item.requestId, clock: item.clock, clockId: item.clockId ?? '' },
  },
  h('td', { class: 'due' }, bothZones(h, item.dueAt, item.timeZone, item.dueLocal),
    item.provisionalCalendar ? h('span', { class: 'hint provisional-calendar' }, t('board.provisionalCalendar')) : null),
  h('td', { class: 'remaining' },
    h('span', { class: `marker marker-${urgency === 'dueSoon' ? 'due-soon' : urgency}` }, remainingText(item, urgency)),
    typeof hours === 'number' && urgency !== 'paused' ? h('span', { class: 'muted small-text' }, t('board.hours', { hours: formatNumber(hours, 1) })) : null),
  h('th', { scope: 'row' }, h('a', { href: `#/requests/${item.requestId}`, class: 'request-link' }, item.subject || t('request.noSubject'))),
  authorityCell(item.partnerAuthority, item.side ? t(`board.weAre.${item.side}`) : null),
  h('td', {}, label('clockKind', item.clock)),
  authorityCell(item.responsibleAuthority, item.responsibleSide ? label('side', item.responsibleSide) : null),
  h('td', { class: 'status' }, label('status', item.status)),
  h('td', {}, h('span', { class: `badge state-${item.state}` }, label('clockState', item.state))),
  h('td', { class: 'num' }, h('span', { class: `level level-${item.escalationLevel ?? 0}` }, t('escalation.level', { level: item.escalationLevel ?? 0 }))));
}

export function render() {
  const { items, asOf, nextCursor } = board;
  const asOfMs = parseDate(asOf)?.getTime() ?? Date.now();
  const focused = document.activeElement?.closest?.('#board tbody tr')?.dataset.requestId;
  byId('board').tBodies[0].replaceChildren(...items.map((item) => row(item, asOfMs)));
  byId('board-empty').hidden = !board.loaded || items.length > 0;
  byId('board-more').hidden = !nextCursor;
  const counts = { overdue: 0, dueSoon: 0, paused: 0, normal: 0 };
  for (const item of items) counts[urgencyOf(item, asOfMs)] += 1;
  byId('board-summary').textContent = board.loaded
    ? `${t('board.summary', { count: items.length, overdue: counts.overdue, soon: counts.dueSoon, paused: counts.paused })}${nextCursor ? ` ${t('board.more')}` : ''}`
    : '';
  byId('board-zone-note').textContent = t('board.zoneNote', { zone: viewerZone() });
  if (board.asOf) byId('last-updated').textContent = t('board.asOf', { time: formatViewer(board.asOf) });
  if (lastOutcome) setRefreshStatus(lastOutcome.outcome, lastOutcome.when);
  if (focused) byId('board').querySelector(`tbody tr[data-request-id="${CSS.escape(focused)}"] a`)?.focus();
}

export function reset() {
  board.controller?.abort();
  board = fresh(board.generation + 1);
  lastOutcome = null;
  byId('board').tBodies[0].replaceChildren();
  byId('board-summary').textContent = '';
  byId('refresh-status').textContent = '';
  byId('last-updated').textContent = '';
  byId('board-empty').hidden = true;
  byId('board-more').hidden = true;
}

export function wireBoard() {
  const filters = byId('filters');
  filters.addEventListener('change', () => { clearTimeout(partnerTimer); loadBoard(); });
  filters.addEventListener('input', (event) => {
    if (event.target.id !== 'f-partner') return;
    clearTimeout(partnerTimer);
    partnerTimer = setTimeout(() => loadBoard(), PARTNER_DEBOUNCE_MS);
  });
  filters.addEventListener('submit', (event) => { event.preventDefault(); loadBoard(); });
  filters.addEventListener('reset', () => setTimeout(() => loadBoard(), 0)); // values reset after the event
  byId('board-more').addEventListener('click', loadMore);
}
