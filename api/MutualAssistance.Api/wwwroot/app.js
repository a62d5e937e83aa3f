/**
 * MutualAssistance dashboard (vanilla ES module, no dependencies, no build step).
 *
 * - Sign in by pasting a JWT (kept in sessionStorage under `ma.token`).
 * - Deadline board from GET /api/deadlines, polled every 5 s with If-None-Match.
 * - Request timeline dialog (GET /api/requests/{id} and /history).
 * - Breach report (table + inline SVG chart + CSV download).
 *
 * All mutable state lives in `state`; everything else is constants and functions.
 */

const TOKEN_KEY = 'ma.token';
const POLL_INTERVAL_MS = 5000;
const DUE_SOON_MS = 7 * 24 * 60 * 60 * 1000;
const PARTNER_DEBOUNCE_MS = 400;
const LOCALE = 'en-GB'; // unambiguous "8 Dec 2026, 00:00"; the zone is what matters, not the locale
const SVG_NS = 'http://www.w3.org/2000/svg';
const ROLE_CLAIM_URI = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

/** Display labels for enum values whose generic humanisation would read badly. */
const LABELS = {
  eio: 'EIO',
  treaty: 'Treaty',
  'cets224-subscriber': 'CETS 224 – subscriber',
  'cets224-traffic': 'CETS 224 – traffic',
};

/** Formatters without `timeZone` render in the viewer's zone. */
const FORMATS = {
  viewer: new Intl.DateTimeFormat(LOCALE, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }),
  viewerSeconds: new Intl.DateTimeFormat(LOCALE, {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }),
  clock: new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  dateOnly: new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};

function emptyBoard(generation = 0) {
  return {
    query: null,        // query string the board (and its ETag) belongs to
    etag: null,
    items: [],
    nextCursor: null,
    asOf: null,
    loaded: false,
    generation,         // bumped whenever the query changes or the session ends; stale responses are dropped
    controller: null,   // aborts in-flight board requests of an older generation
  };
}

const state = {
  token: null,
  claims: null,
  authorities: new Map(),
  zoneFormats: new Map(),
  board: emptyBoard(),
  poll: { enabled: true, timer: 0, failing: false },
  timeline: { requestId: null, clockId: null, opener: null, generation: 0 },
  partnerTimer: 0,
};

/* ------------------------------------------------------------------ DOM helpers */

const byId = (id) => document.getElementById(id);

function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function setAttributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  return node;
}

/** Creates an HTML element; text children are inserted as text (never parsed as HTML). */
function h(tag, attrs, ...children) {
  return appendChildren(setAttributes(document.createElement(tag), attrs), children);
}

function svg(tag, attrs, ...children) {
  return appendChildren(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

/* ------------------------------------------------------------------ formatting */

function parseDate(value) {
  if (!value) return null;
  // .NET may send 7 fractional digits; trim to milliseconds for every browser's parser.
  const date = new Date(String(value).replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? null : date;
}

function formatViewer(value, { seconds = false } = {}) {
  const date = parseDate(value);
  if (!date) return '—';
  return (seconds ? FORMATS.viewerSeconds : FORMATS.viewer).format(date);
}

function zoneFormat(timeZone) {
  if (!state.zoneFormats.has(timeZone)) {
    state.zoneFormats.set(timeZone, new Intl.DateTimeFormat(LOCALE, {
      timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }));
  }
  return state.zoneFormats.get(timeZone);
}

/** "8 Dec 00:00 Asia/Shanghai" (year added when it is not the current one). */
function formatZoned(value, timeZone, localFallback) {
  const date = parseDate(value);
  if (!date) return '—';
  if (!timeZone) return `${FORMATS.viewer.format(date)} (zone unknown)`;
  try {
    const parts = Object.fromEntries(zoneFormat(timeZone).formatToParts(date).map((p) => [p.type, p.value]));
    const year = parts.year === String(new Date().getFullYear()) ? '' : ` ${parts.year}`;
    return `${parts.day} ${parts.month}${year} ${parts.hour}:${parts.minute} ${timeZone}`;
  } catch {
    // Unknown IANA zone in this browser: fall back to the wall-clock time the API computed.
    const local = localFallback ? `${localFallback.slice(0, 16).replace('T', ' ')} (UTC${localFallback.slice(19) || ''})` : date.toISOString();
    return `${local} ${timeZone}`;
  }
}

function formatDateOnly(value) {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
  return match ? FORMATS.dateOnly.format(new Date(`${match[1]}T00:00:00Z`)) : (value ?? '—');
}

function formatNumber(value, digits = 1) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "partially-executed" → "Partially executed"; known codes use LABELS. */
function label(value) {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value);
  if (LABELS[text]) return LABELS[text];
  const words = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/-/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Renders arbitrary scalar/object values (e.g. a clock's `period` or `source`) as readable text. */
function plainText(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value).map(([k, v]) => `${k}: ${plainText(v)}`).join(', ');
}

function localIsoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/* ------------------------------------------------------------------ alerts */

class ProblemError extends Error {
  constructor(problem, { silent = false } = {}) {
    super(problem.detail || problem.title || 'Request failed');
    this.name = 'ProblemError';
    this.problem = problem;
    this.silent = silent; // already handled (e.g. 401 → signed out)
  }
}

function problemNode(problem) {
  const errors = problem.errors && typeof problem.errors === 'object' ? Object.entries(problem.errors) : [];
  return h('div', { class: 'problem' },
    h('p', { class: 'problem-title' },
      problem.title || 'Something went wrong',
      problem.status ? h('span', { class: 'muted' }, ` (HTTP ${problem.status})`) : null),
    problem.detail ? h('p', { class: 'problem-detail' }, problem.detail) : null,
    errors.length
      ? h('ul', { class: 'problem-errors' },
        errors.map(([field, messages]) => h('li', {}, h('strong', {}, field), ': ', [].concat(messages).join(' '))))
      : null);
}

function showProblem(problem) {
  const node = problemNode(problem);
  node.append(h('button', { type: 'button', class: 'secondary small', onclick: clearAlerts }, 'Dismiss'));
  byId('alerts').replaceChildren(node);
}

function clearAlerts() {
  byId('alerts').replaceChildren();
}

function reportError(error) {
  if (!error || error.name === 'AbortError' || error.silent) return;
  showProblem(error instanceof ProblemError ? error.problem : { title: 'Unexpected error', detail: error.message });
}

/* ------------------------------------------------------------------ API client */

async function readProblem(response) {
  const fallback = { title: response.statusText || 'Request failed', status: response.status };
  try {
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      const body = await response.json();
      return body && typeof body === 'object' && !Array.isArray(body) ? { ...fallback, ...body } : fallback;
    }
    const text = (await response.text()).trim();
    return text ? { ...fallback, detail: text.slice(0, 500) } : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Fetches `path` with the bearer token. Resolves with the Response for 2xx and 304;
 * throws ProblemError otherwise. A 401 signs the user out.
 */
async function api(path, { headers = {}, signal } = {}) {
  if (!state.token) throw new ProblemError({ title: 'Not signed in', detail: 'Paste a token and sign in first.' });
  let response;
  try {
    response = await fetch(path, {
      headers: { Accept: 'application/json', ...headers, Authorization: `Bearer ${state.token}` },
      cache: 'no-store', // conditional requests are ours (If-None-Match), not the HTTP cache's
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ProblemError({ title: 'Network error', detail: 'The server could not be reached. Check the connection and try again.' });
  }
  if (response.status === 401) {
    signOut({
      title: 'Signed out',
      detail: 'The server did not accept your token (401 Unauthorized); it may have expired. Paste a new token to sign in again.',
    });
    throw new ProblemError({ title: 'Unauthorized', status: 401 }, { silent: true });
  }
  if (!response.ok && response.status !== 304) throw new ProblemError(await readProblem(response));
  return response;
}

async function getJson(path, options) {
  const response = await api(path, options);
  return response.json();
}

/* ------------------------------------------------------------------ session */

function decodeClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('A JWT has three dot-separated parts (header.payload.signature).');
  const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64.padEnd(Math.ceil(base64.length / 4) * 4, '=');
  let claims;
  try {
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error('The token payload is not base64url-encoded JSON.');
  }
  if (!claims || typeof claims !== 'object') throw new Error('The token payload is not a JSON object.');
  return claims;
}

function claim(claims, ...names) {
  for (const name of names) {
    const value = claims?.[name];
    if (value !== undefined && value !== null && value !== '') return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return null;
}

function storage(action, value) {
  try {
    if (action === 'get') return sessionStorage.getItem(TOKEN_KEY);
    if (action === 'set') sessionStorage.setItem(TOKEN_KEY, value);
    if (action === 'remove') sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the session simply does not survive a reload.
  }
  return null;
}

function renderSession() {
  const signedIn = Boolean(state.token);
  byId('sign-in-form').hidden = signedIn;
  byId('session').hidden = !signedIn;
  byId('workspace').hidden = !signedIn;
  byId('signed-out-note').hidden = signedIn;
  if (!signedIn) {
    byId('who').replaceChildren();
    return;
  }
  const c = state.claims;
  byId('who').replaceChildren(
    'Signed in as ', h('strong', {}, claim(c, 'sub', 'name') ?? 'unknown user'),
    ' — authority ', h('strong', {}, claim(c, 'authority') ?? 'none'),
    ', role ', h('strong', {}, claim(c, 'role', 'roles', ROLE_CLAIM_URI) ?? 'none'));
}

function startSession(token, claims) {
  state.token = token;
  state.claims = claims;
  renderSession();
  loadAuthorities();
  loadBoard({ force: true });
}

function onSignIn(event) {
  event.preventDefault();
  const input = byId('token');
  const token = input.value.trim().replace(/^Bearer\s+/i, '');
  let claims;
  try {
    if (!token) throw new Error('Paste a token first.');
    claims = decodeClaims(token);
  } catch (error) {
    showProblem({ title: 'Invalid token', detail: error.message });
    input.focus();
    return;
  }
  input.value = ''; // do not keep the token in the DOM
  clearAlerts();
  storage('set', token);
  startSession(token, claims);
  byId('board-heading').focus();
}

/** Ends the session; `problem` (optional) is shown in the alert region. */
function signOut(problem) {
  const focusWasInside = byId('workspace').contains(document.activeElement) || byId('session').contains(document.activeElement);
  storage('remove');
  state.token = null;
  state.claims = null;
  stopPolling();
  state.board.controller?.abort();
  state.board = emptyBoard(state.board.generation + 1);
  closeTimeline();
  resetViews();
  renderSession();
  if (problem) showProblem(problem);
  else clearAlerts();
  if (focusWasInside || !problem) byId('token').focus();
}

function resetViews() {
  byId('board').tBodies[0].replaceChildren();
  byId('board-summary').textContent = '';
  byId('board-empty').hidden = true;
  byId('board-more').hidden = true;
  byId('refresh-status').textContent = 'Not checked yet';
  byId('last-updated').textContent = '';
  byId('report-summary').textContent = '';
  byId('report-chart').replaceChildren();
  byId('report-table-wrap').hidden = true;
}

function restoreSession() {
  const token = storage('get');
  if (!token) return renderSession();
  try {
    startSession(token, decodeClaims(token));
  } catch {
    storage('remove');
    renderSession();
  }
}

async function loadAuthorities() {
  try {
    const authorities = await getJson('/api/authorities');
    state.authorities = new Map((authorities ?? []).map((a) => [a.code, a]));
    byId('authority-list').replaceChildren(
      ...[...state.authorities.values()].map((a) => h('option', { value: a.code }, `${a.name ?? a.code} (${a.state ?? ''})`)));
  } catch {
    // Not essential: the partner filter still works as free text, so stay quiet (401 is handled by api()).
  }
}

/* ------------------------------------------------------------------ board: loading */

function filterQuery() {
  const params = new URLSearchParams();
  const side = byId('f-side').value;
  const within = byId('f-within').value;
  const level = Number(byId('f-min-level').value);
  const partner = byId('f-partner').value.trim();
  const legalBasis = byId('f-legal-basis').value;
  if (side) params.set('side', side);
  if (byId('f-overdue').checked) params.set('overdue', 'true');
  if (within) params.set('within', within);
  if (level > 0) params.set('minEscalationLevel', String(level));
  if (partner) params.set('partner', partner);
  if (legalBasis) params.set('legalBasis', legalBasis);
  return params.toString();
}

function deadlinesUrl(query, cursor) {
  const params = new URLSearchParams(query);
  if (cursor) params.set('cursor', cursor);
  const search = params.toString();
  return search ? `/api/deadlines?${search}` : '/api/deadlines';
}

/** Starts a new board generation: older in-flight loads and polls are aborted and ignored. */
function beginGeneration(query) {
  stopPolling();
  state.board.controller?.abort();
  state.board = { ...emptyBoard(state.board.generation + 1), items: state.board.items, query, controller: new AbortController() };
  return state.board.generation;
}

async function loadBoard({ force = false } = {}) {
  if (!state.token) return;
  const query = filterQuery();
  if (!force && state.board.loaded && query === state.board.query) return;
  const generation = beginGeneration(query);
  const region = byId('board-region');
  region.setAttribute('aria-busy', 'true');
  try {
    const response = await api(deadlinesUrl(query), { signal: state.board.controller.signal });
    const page = await response.json();
    if (generation !== state.board.generation) return;
    applyFirstPage(page, response.headers.get('ETag'));
  } catch (error) {
    if (generation !== state.board.generation) return;
    setRefreshStatus('check failed');
    reportError(error);
  } finally {
    if (generation === state.board.generation) {
      region.removeAttribute('aria-busy');
      schedulePoll();
    }
  }
}

function applyFirstPage(page, etag) {
  Object.assign(state.board, {
    items: Array.isArray(page?.items) ? page.items : [],
    nextCursor: page?.nextCursor ?? null,
    asOf: page?.asOf ?? null,
    etag,
    loaded: true,
  });
  renderBoard();
  const now = new Date();
  setRefreshStatus('updated', now);
  byId('last-updated').textContent = `Last updated ${FORMATS.clock.format(now)}`
    + (state.board.asOf ? ` (data as of ${formatViewer(state.board.asOf)})` : '');
}

async function loadMore() {
  const { nextCursor, query, generation, controller } = state.board;
  if (!nextCursor) return;
  const button = byId('board-more');
  const firstNewIndex = state.board.items.length;
  button.disabled = true;
  try {
    const page = await getJson(deadlinesUrl(query, nextCursor), { signal: controller?.signal });
    if (generation !== state.board.generation) return;
    state.board.items = state.board.items.concat(Array.isArray(page?.items) ? page.items : []);
    state.board.nextCursor = page?.nextCursor ?? null;
    renderBoard();
    // Keep keyboard users in place: continue at the first newly loaded row.
    byId('board').tBodies[0].rows[firstNewIndex]?.querySelector('button')?.focus();
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

/* ------------------------------------------------------------------ board: polling */

function stopPolling() {
  clearTimeout(state.poll.timer);
  state.poll.timer = 0;
}

function schedulePoll() {
  stopPolling();
  if (!state.token || !state.poll.enabled) return;
  state.poll.timer = setTimeout(pollBoard, POLL_INTERVAL_MS);
}

function setRefreshStatus(outcome, when = new Date()) {
  byId('refresh-status').textContent = `Last checked ${FORMATS.clock.format(when)} — ${outcome}`;
}

/** One conditional GET of the current query: 304 keeps the board, 200 re-renders it. */
async function pollBoard() {
  if (!state.token || !state.poll.enabled) return;
  if (!state.board.loaded) return loadBoard({ force: true }); // nothing to compare against yet
  if (document.hidden) return schedulePoll(); // no point polling a background tab
  const { generation, query, etag, controller } = state.board;
  try {
    const response = await api(deadlinesUrl(query), {
      headers: etag ? { 'If-None-Match': etag } : {},
      signal: controller?.signal,
    });
    if (generation !== state.board.generation) return;
    if (response.status === 304) {
      setRefreshStatus('not modified');
    } else {
      const page = await response.json();
      if (generation !== state.board.generation) return;
      applyFirstPage(page, response.headers.get('ETag'));
    }
    state.poll.failing = false;
  } catch (error) {
    if (generation !== state.board.generation) return;
    setRefreshStatus('check failed');
    if (!state.poll.failing) reportError(error); // alert once per failure streak, not every 5 s
    state.poll.failing = true;
  } finally {
    if (generation === state.board.generation) schedulePoll();
  }
}

function onAutoRefreshChange(event) {
  state.poll.enabled = event.target.checked;
  stopPolling();
  if (state.poll.enabled) {
    pollBoard();
  } else {
    byId('refresh-status').textContent = 'Auto-refresh is off';
  }
}

function onVisibilityChange() {
  if (!document.hidden && state.token && state.poll.enabled && state.board.loaded) {
    stopPolling();
    pollBoard();
  }
}

/* ------------------------------------------------------------------ board: rendering */

function urgencyOf(item, asOfMs) {
  if (item.overdue || item.state === 'breached') return 'overdue';
  const due = parseDate(item.dueAt);
  if (!due) return 'paused';
  return due.getTime() - asOfMs <= DUE_SOON_MS ? 'due-soon' : 'normal';
}

function remainingText(item, urgency) {
  if (urgency === 'overdue') {
    const by = item.overdueBy;
    if (by?.workingDays > 0) return `Overdue by ${plural(by.workingDays, 'working day')}`;
    if (typeof by?.hours === 'number') return `Overdue by ${formatNumber(by.hours)} hours`;
    return 'Overdue';
  }
  if (urgency === 'paused') return 'Paused — clock stopped';
  const days = item.remaining?.workingDays;
  const left = typeof days === 'number' ? `${plural(days, 'working day')} left` : 'Running';
  return urgency === 'due-soon' ? `Due soon: ${left}` : left;
}

function dueCell(item) {
  if (!item.dueAt) return h('td', { class: 'due' }, h('span', { class: 'muted' }, 'No due time (paused)'));
  return h('td', { class: 'due' },
    h('time', { datetime: item.dueAt, class: 'due-viewer' }, `${formatViewer(item.dueAt)} (your time)`),
    h('span', { class: 'due-zone' }, formatZoned(item.dueAt, item.timeZone, item.dueLocal)));
}

function remainingCell(item, urgency) {
  const hours = urgency === 'overdue' ? item.overdueBy?.hours : item.remaining?.hours;
  return h('td', { class: 'remaining' },
    h('span', { class: `marker marker-${urgency}` }, remainingText(item, urgency)),
    typeof hours === 'number' && urgency !== 'paused' ? h('span', { class: 'muted small-text' }, `${formatNumber(hours)} h`) : null);
}

function authorityCell(code, note) {
  const name = state.authorities.get(code)?.name;
  return h('td', {}, h('span', { title: name ?? null }, code ?? '—'), note ? h('span', { class: 'muted small-text' }, note) : null);
}

function boardRow(item, asOfMs) {
  const urgency = urgencyOf(item, asOfMs);
  return h('tr', {
    class: urgency === 'normal' ? null : urgency,
    dataset: { requestId: item.requestId, clock: item.clock, clockId: item.clockId ?? '' },
  },
  dueCell(item),
  remainingCell(item, urgency),
  h('th', { scope: 'row' },
    h('button', { type: 'button', class: 'link-button', 'data-action': 'timeline', 'aria-haspopup': 'dialog' },
      item.subject || '(no subject)')),
  authorityCell(item.partnerAuthority, item.side ? `we are ${item.side}` : null),
  h('td', {}, label(item.clock)),
  authorityCell(item.responsibleAuthority, item.responsibleSide ? `${item.responsibleSide} side` : null),
  h('td', {}, label(item.status)),
  h('td', {}, h('span', { class: `badge state-${item.state}` }, label(item.state))),
  h('td', { class: 'num' }, h('span', { class: `level level-${item.escalationLevel ?? 0}` }, `Level ${item.escalationLevel ?? 0}`)));
}

/** Identifies the row whose subject button has focus, so a re-render can restore it. */
function focusedRowKey() {
  const row = document.activeElement?.closest?.('#board tbody tr');
  return row ? { requestId: row.dataset.requestId, clockId: row.dataset.clockId } : null;
}

function findRowButton(key) {
  if (!key) return null;
  const rows = [...byId('board').tBodies[0].rows];
  const row = rows.find((r) => r.dataset.requestId === key.requestId && r.dataset.clockId === String(key.clockId ?? ''))
    ?? rows.find((r) => r.dataset.requestId === key.requestId);
  return row?.querySelector('button[data-action="timeline"]') ?? null;
}

function renderBoard() {
  const { items, asOf, nextCursor } = state.board;
  const asOfMs = parseDate(asOf)?.getTime() ?? Date.now();
  const focusKey = focusedRowKey();
  byId('board').tBodies[0].replaceChildren(...items.map((item) => boardRow(item, asOfMs)));
  byId('board-empty').hidden = items.length > 0;
  byId('board-more').hidden = !nextCursor;
  renderBoardSummary(items, asOfMs, Boolean(nextCursor));
  findRowButton(focusKey)?.focus();
}

function renderBoardSummary(items, asOfMs, more) {
  const counts = { overdue: 0, 'due-soon': 0, paused: 0, normal: 0 };
  for (const item of items) counts[urgencyOf(item, asOfMs)] += 1;
  byId('board-summary').textContent = `${plural(items.length, 'open clock')} shown: ${counts.overdue} overdue, `
    + `${counts['due-soon']} due within 7 days, ${counts.paused} paused.${more ? ' More are available.' : ''}`;
}

/* ------------------------------------------------------------------ timeline dialog */

function definitionList(entries) {
  return h('dl', { class: 'facts' },
    entries.filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function dueBothZones(dueAt, timeZone, dueLocal) {
  if (!dueAt) return 'No due time (paused)';
  return h('span', {},
    h('time', { datetime: dueAt }, `${formatViewer(dueAt)} (your time)`),
    h('br'),
    formatZoned(dueAt, timeZone, dueLocal));
}

function extensionsList(extensions) {
  if (!extensions?.length) return 'None';
  return h('ul', { class: 'plain-list' }, extensions.map((e) => h('li', {},
    `+${plural(e.days ?? 0, 'day')} on ${formatViewer(e.at)} by ${e.by ?? 'unknown'}`,
    e.reason ? ` — ${e.reason}` : '',
    e.estimate ? ` (estimate: ${plainText(e.estimate)})` : '')));
}

function pausesList(pauses) {
  if (!pauses?.length) return null;
  return h('ul', { class: 'plain-list' }, pauses.map((p) => h('li', {},
    `${formatViewer(p.from)} → ${p.until ? formatViewer(p.until) : 'ongoing'} by ${p.by ?? 'unknown'}`,
    p.reason ? ` — ${p.reason}` : '')));
}

function clockCard(clock) {
  return h('li', { class: `clock-card state-${clock.state}` },
    h('h4', {}, `${label(clock.kind)} clock `, h('span', { class: `badge state-${clock.state}` }, label(clock.state))),
    definitionList([
      ['Responsible', `${clock.responsibleAuthority ?? '—'} (${label(clock.responsibleSide)} side)`],
      ['Started', formatViewer(clock.startedAt)],
      ['Due', dueBothZones(clock.dueAt, clock.timeZone, clock.dueLocal)],
      ['Paused since', clock.pausedSince ? formatViewer(clock.pausedSince) : '—'],
      ['Period', clock.period != null ? plainText(clock.period) : null],
      ['Source', clock.source != null ? plainText(clock.source) : null],
      ['Stopped', clock.stoppedAt ? formatViewer(clock.stoppedAt) : null],
      ['Breached', clock.breachedAt ? formatViewer(clock.breachedAt) : null],
      ['Escalation level', String(clock.escalationLevel ?? 0)],
      ['Extensions', extensionsList(clock.extensions)],
      ['Pauses', pausesList(clock.pauses)],
    ]));
}

function who(entry) {
  const context = [entry.authority, entry.role].filter(Boolean).join(', ');
  return `${entry.subject ?? 'system'}${context ? ` (${context})` : ''}`;
}

function historyItem(entry) {
  const changes = Array.isArray(entry.clockChanges) ? entry.clockChanges : [];
  const statusChanged = entry.statusBefore || entry.statusAfter;
  return h('li', { class: 'history-entry' },
    h('p', { class: 'history-head' },
      h('time', { datetime: entry.at }, formatViewer(entry.at, { seconds: true })), ' — ',
      h('strong', {}, label(entry.event))),
    h('p', {}, 'By ', who(entry)),
    entry.reason ? h('p', {}, 'Reason: ', entry.reason) : null,
    statusChanged ? h('p', {}, 'Status: ', label(entry.statusBefore), ' → ', label(entry.statusAfter)) : null,
    changes.length ? h('ul', { class: 'clock-changes', 'aria-label': 'Clock changes' }, changes.map((c) => h('li', {}, plainText(c)))) : null,
    entry.hash ? h('p', { class: 'muted small-text' }, `#${entry.sequence ?? '?'} · hash `, h('code', {}, String(entry.hash).slice(0, 12)), '…') : null);
}

function renderTimeline(request, history) {
  byId('timeline-title').textContent = request.subject || 'Request timeline';
  const entries = (Array.isArray(history) ? history : []).slice().sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
  const clocks = Array.isArray(request.clocks) ? request.clocks : [];
  byId('timeline-body').replaceChildren(
    definitionList([
      ['Status', label(request.status)],
      ['Parties', `${request.requestingAuthority ?? '—'} (requesting) → ${request.requestedAuthority ?? '—'} (requested)`],
      ['Legal basis', label(request.legalBasis)],
      ['Urgency', request.urgency ? label(request.urgency) : null],
      ['Received', request.receivedAt ? formatViewer(request.receivedAt) : null],
      ['Filed', request.filedAt ? formatViewer(request.filedAt) : null],
      ['Requesting reference', request.requestingReference],
      ['Requested reference', request.requestedReference],
      ['Forwarded to', request.forwardedTo],
      ['Escalation level', String(request.escalationLevel ?? 0)],
      ['Version', request.version != null ? String(request.version) : null],
      ['Allowed actions', request.allowedActions?.length ? request.allowedActions.map(label).join(', ') : null],
    ]),
    request.summaryOfFacts ? h('section', {}, h('h3', {}, 'Summary of facts'), h('p', { class: 'facts-text' }, request.summaryOfFacts)) : null,
    h('section', {}, h('h3', {}, 'Clocks'),
      clocks.length ? h('ul', { class: 'clock-list' }, clocks.map(clockCard)) : h('p', { class: 'muted' }, 'No clocks.')),
    h('section', {}, h('h3', {}, 'History'),
      entries.length ? h('ol', { class: 'history', 'aria-label': 'History, oldest first' }, entries.map(historyItem))
        : h('p', { class: 'muted' }, 'No history.')));
}

async function openTimeline(button) {
  const row = button.closest('tr');
  const requestId = row.dataset.requestId;
  const dialog = byId('timeline');
  const generation = state.timeline.generation + 1;
  state.timeline = { requestId, clockId: row.dataset.clockId, opener: button, generation };
  byId('timeline-title').textContent = button.textContent || 'Request timeline';
  byId('timeline-body').replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  dialog.hidden = false;
  if (!dialog.open) dialog.showModal();
  byId('timeline-close').focus();
  try {
    const base = `/api/requests/${encodeURIComponent(requestId)}`;
    const [request, history] = await Promise.all([getJson(base), getHistory(base)]);
    if (generation !== state.timeline.generation) return;
    renderTimeline(request, history);
  } catch (error) {
    if (generation !== state.timeline.generation || error.silent || error.name === 'AbortError') return;
    // The page behind a modal dialog is inert, so show the problem inside the dialog too.
    const problem = error instanceof ProblemError ? error.problem : { title: 'Unexpected error', detail: error.message };
    byId('timeline-body').replaceChildren(h('div', { class: 'alerts inline-alert' }, problemNode(problem)));
    reportError(error);
  }
}

/** The whole history, page by page (the API pages it: `items`, `next` cursor). */
async function getHistory(base) {
  const entries = [];
  let cursor = null;
  do {
    const page = await getJson(`${base}/history?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    entries.push(...(page.items ?? []));
    cursor = page.next;
  } while (cursor);
  return entries;
}

function closeTimeline() {
  const dialog = byId('timeline');
  if (dialog.open) dialog.close(); // the 'close' event finishes the job
  else dialog.hidden = true;
}

/** Runs for every way the dialog closes (button, Escape, backdrop, sign-out). */
function onTimelineClosed() {
  byId('timeline').hidden = true;
  const { opener, requestId, clockId } = state.timeline;
  state.timeline = { requestId: null, clockId: null, opener: null, generation: state.timeline.generation + 1 };
  if (!state.token) return;
  // The board may have been re-rendered by a poll meanwhile; find the equivalent button.
  const target = opener?.isConnected ? opener : findRowButton({ requestId, clockId });
  target?.focus();
}

/** A click on the ::backdrop targets the dialog itself but lands outside its box. */
function onDialogClick(event) {
  const dialog = byId('timeline');
  if (event.target !== dialog || event.detail === 0) return; // detail 0: keyboard-generated click
  const box = dialog.getBoundingClientRect();
  const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
  if (!inside) closeTimeline();
}

/* ------------------------------------------------------------------ breach report */

function reportRange() {
  const from = byId('report-from').value;
  const to = byId('report-to').value;
  if (!from || !to) {
    showProblem({ title: 'Invalid date range', errors: { [from ? 'to' : 'from']: ['Enter a date (yyyy-mm-dd).'] } });
    return null;
  }
  if (from > to) {
    showProblem({ title: 'Invalid date range', detail: 'The "from" date must not be after the "to" date.' });
    return null;
  }
  return { from, to, query: new URLSearchParams({ from, to }).toString() };
}

async function showReport(event) {
  event.preventDefault();
  const range = reportRange();
  if (!range) return;
  const button = byId('report-show');
  button.disabled = true;
  try {
    const data = await getJson(`/api/reports/breaches?${range.query}`);
    clearAlerts();
    renderReport(data, range);
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

const total = (row) => (row.metOnTime ?? 0) + (row.breached ?? 0);
const reportRowName = (row) =>
  `${row.partnerAuthority ?? '—'} · ${label(row.legalBasis)} · ${label(row.clock)}${row.responsibleSide ? ` (${row.responsibleSide})` : ''}`;

function renderReport(data, range) {
  const rows = Array.isArray(data?.rows) ? data.rows : [];
  const sum = (key) => rows.reduce((acc, row) => acc + (row[key] ?? 0), 0);
  byId('report-summary').textContent = `${formatDateOnly(data?.from ?? range.from)} to ${formatDateOnly(data?.to ?? range.to)}: `
    + `${sum('metOnTime')} met on time, ${sum('breached')} breached, ${sum('openOverdue')} open and overdue.`;
  byId('report-chart').replaceChildren(rows.length
    ? breachChart(rows)
    : h('p', { class: 'muted' }, 'No clocks were met, breached or overdue in this period.'));
  renderReportTable(rows, sum);
}

function renderReportTable(rows, sum) {
  const table = byId('report-table');
  table.tBodies[0].replaceChildren(...rows.map((row) => h('tr', {},
    h('th', { scope: 'row' }, row.partnerAuthority ?? '—'),
    h('td', {}, label(row.legalBasis)),
    h('td', {}, label(row.clock)),
    h('td', {}, label(row.responsibleSide)),
    h('td', { class: 'num' }, String(row.metOnTime ?? 0)),
    h('td', { class: 'num' }, String(row.breached ?? 0)),
    h('td', { class: 'num' }, formatNumber(row.medianDays)),
    h('td', { class: 'num' }, formatNumber(row.p90Days)),
    h('td', { class: 'num' }, String(row.openOverdue ?? 0)))));
  table.tFoot.replaceChildren(h('tr', {},
    h('th', { scope: 'row', colspan: 4 }, 'Total'),
    h('td', { class: 'num' }, String(sum('metOnTime'))),
    h('td', { class: 'num' }, String(sum('breached'))),
    h('td', {}, ''), h('td', {}, ''),
    h('td', { class: 'num' }, String(sum('openOverdue')))));
  byId('report-table-wrap').hidden = rows.length === 0;
}

/* Chart geometry (SVG user units; the SVG scales to the container width). */
const CHART = { width: 760, legend: 34, label: 18, bar: 20, gap: 14, valueWidth: 190 };

function chartDefs() {
  // Breached bars are hatched so the distinction does not rely on colour alone.
  return svg('defs', {},
    svg('pattern', { id: 'breach-hatch', patternUnits: 'userSpaceOnUse', width: 8, height: 8 },
      svg('rect', { width: 8, height: 8, fill: '#b3261e' }),
      svg('path', { d: 'M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4', stroke: '#ffffff', 'stroke-opacity': 0.55, 'stroke-width': 2 })));
}

function chartLegend() {
  return svg('g', { class: 'chart-legend' },
    svg('rect', { x: 0, y: 6, width: 16, height: 16, fill: '#2e7d32' }),
    svg('text', { x: 22, y: 19 }, 'Met on time (solid)'),
    svg('rect', { x: 190, y: 6, width: 16, height: 16, fill: 'url(#breach-hatch)' }),
    svg('text', { x: 212, y: 19 }, 'Breached (hatched)'));
}

function barSegment(x, y, width, { fill, title, count }) {
  if (width <= 0) return null;
  return svg('g', {},
    svg('title', {}, title),
    svg('rect', { x, y, width, height: CHART.bar, fill }),
    width >= 22 ? svg('text', { x: x + width / 2, y: y + CHART.bar / 2 + 4, 'text-anchor': 'middle', class: 'bar-count' }, String(count)) : null);
}

function chartRow(row, index, max) {
  const name = reportRowName(row);
  const met = row.metOnTime ?? 0;
  const breached = row.breached ?? 0;
  const scale = (CHART.width - CHART.valueWidth) / max;
  const top = CHART.legend + index * (CHART.label + CHART.bar + CHART.gap);
  const barY = top + CHART.label;
  const metWidth = met * scale;
  const breachedWidth = breached * scale;
  const share = total(row) ? Math.round((breached / total(row)) * 100) : 0;
  return svg('g', { class: 'chart-row' },
    svg('text', { x: 0, y: top + 13, class: 'chart-label' }, name),
    barSegment(0, barY, metWidth, { fill: '#2e7d32', title: `${name}: ${met} met on time`, count: met }),
    barSegment(metWidth, barY, breachedWidth, { fill: 'url(#breach-hatch)', title: `${name}: ${breached} breached`, count: breached }),
    svg('text', { x: metWidth + breachedWidth + 8, y: barY + 15, class: 'chart-value' },
      total(row) ? `${met} met · ${breached} breached (${share}%)` : 'none completed'));
}

function breachChart(rows) {
  const max = Math.max(1, ...rows.map(total));
  const height = CHART.legend + rows.length * (CHART.label + CHART.bar + CHART.gap);
  return svg('svg', {
    viewBox: `0 0 ${CHART.width} ${height}`, width: '100%', class: 'breach-chart',
    role: 'img', 'aria-labelledby': 'report-chart-title report-chart-desc',
  },
  svg('title', { id: 'report-chart-title' }, 'Clocks met on time versus breached'),
  svg('desc', { id: 'report-chart-desc' },
    `Horizontal stacked bars, one per partner, legal basis and clock (${rows.length} rows). `
    + 'Solid green: met on time; hatched red: breached. The same figures are in the table below.'),
  chartDefs(),
  chartLegend(),
  rows.map((row, index) => chartRow(row, index, max)));
}

function csvFileName(response, range) {
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match ? decodeURIComponent(match[1]) : `breaches-${range.from}-to-${range.to}.csv`;
}

async function downloadCsv() {
  const range = reportRange();
  if (!range) return;
  const button = byId('report-csv');
  button.disabled = true;
  try {
    const response = await api(`/api/reports/breaches?${range.query}`, { headers: { Accept: 'text/csv' } });
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: csvFileName(response, range), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000); // give the browser time to start the download
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

function setDefaultReportRange() {
  const today = new Date();
  byId('report-from').value = `${today.getFullYear()}-01-01`;
  byId('report-to').value = localIsoDate(today);
}

/* ------------------------------------------------------------------ wiring */

function onFiltersChange(event) {
  // Free-text partner input is debounced; every other control reloads at once.
  if (event.type === 'input' && event.target.id === 'f-partner') {
    clearTimeout(state.partnerTimer);
    state.partnerTimer = setTimeout(() => loadBoard(), PARTNER_DEBOUNCE_MS);
    return;
  }
  if (event.type === 'change') {
    clearTimeout(state.partnerTimer);
    loadBoard();
  }
}

function wireEvents() {
  byId('sign-in-form').addEventListener('submit', onSignIn);
  byId('sign-out').addEventListener('click', () => signOut());

  const filters = byId('filters');
  filters.addEventListener('change', onFiltersChange);
  filters.addEventListener('input', onFiltersChange);
  filters.addEventListener('submit', (event) => { event.preventDefault(); loadBoard(); });
  filters.addEventListener('reset', () => setTimeout(() => loadBoard(), 0)); // values reset after the event

  byId('auto-refresh').addEventListener('change', onAutoRefreshChange);
  byId('board-more').addEventListener('click', loadMore);
  byId('board').tBodies[0].addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action="timeline"]');
    if (button) openTimeline(button);
  });

  const dialog = byId('timeline');
  byId('timeline-close').addEventListener('click', closeTimeline);
  dialog.addEventListener('close', onTimelineClosed); // Escape closes a modal <dialog> natively
  dialog.addEventListener('click', onDialogClick);

  byId('report-form').addEventListener('submit', showReport);
  byId('report-csv').addEventListener('click', downloadCsv);
  document.addEventListener('visibilitychange', onVisibilityChange);
}

function init() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  byId('board-zone-note').textContent =
    ` — due times in your zone${zone ? ` (${zone})` : ''} and in the responsible side's zone`;
  setDefaultReportRange();
  wireEvents();
  restoreSession();
}

init();
