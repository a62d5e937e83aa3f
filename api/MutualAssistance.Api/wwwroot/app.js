/**
 * The case handler's workspace (ES modules, no build step): sign-in (session.js), languages (i18n.js), the API
 * client (api.js), live updates (live.js) and one module per view: the deadline board, the request list, the
 * filing form, a request's page and the breach report. This module routes between the views (the URL's hash),
 * moves focus to each view's heading, and reloads the view shown when a change arrives.
 */

import { byId, h } from './dom.js';
import { currentLanguage, initLanguage, onLanguageChange, t, use } from './i18n.js';
import * as auth from './session.js';
import * as live from './live.js';
import * as board from './board.js';
import * as list from './requests.js';
import * as requestPage from './request-page.js';
import * as report from './report.js';
import { renderFilingForm, wireFilingForm } from './forms.js';
import { loadReference, forgetReference } from './reference.js';
import { clearAlerts, reportError, showProblem } from './problems.js';

const VIEWS = ['board', 'requests', 'file', 'report', 'request'];
let reference = null;
let view = null;
let endedBecause = null; // why the last session ended ('expired' asks the user to sign in again)

function route() {
  const match = /^#\/(board|requests|file|report)(?:\/([0-9a-f-]{36}))?$/i.exec(location.hash);
  if (!match) return { name: 'board' };
  if (match[1] === 'requests' && match[2]) return { name: 'request', id: match[2].toLowerCase() };
  return { name: match[1] };
}

/* -------------------------------------------------------------- session */

function renderSession() {
  const session = auth.current();
  const signedIn = Boolean(session);
  byId('sign-in').hidden = signedIn || !auth.configured();
  byId('session').hidden = !signedIn;
  byId('workspace').hidden = !signedIn;
  byId('primary-nav').hidden = !signedIn;
  byId('signed-out-note').hidden = signedIn;
  byId('signed-out-note').textContent = auth.configured()
    ? t(endedBecause === 'expired' ? 'session.expiredNote' : 'session.signedOutNote')
    : t('session.notConfigured');
  if (signedIn) {
    const { name, authority, roles } = session.user;
    byId('who').textContent = t('session.who', { name: name ?? '?', authority: authority ?? '—', role: roles.map((r) => t(`role.${r}`)).join(', ') || '—' });
  } else {
    byId('who').textContent = '';
  }
}

async function onSession(session, reason) {
  endedBecause = session ? null : reason;
  renderSession();
  if (reason === 'refreshed') return;
  if (!session) {
    live.stop();
    forgetReference();
    reference = null;
    board.reset();
    list.reset();
    requestPage.reset();
    report.reset();
    if (reason === 'expired') showProblem({ title: t('session.expired'), detail: t('session.expiredNote') });
    return;
  }
  try {
    reference = await loadReference();
    board.setReference(reference);
    list.setReference(reference);
    requestPage.setReference(reference);
    renderFilingForm(reference);
  } catch (error) {
    reportError(error);
  }
  if (byId('live-auto').checked) live.start();
  else live.pause();
  show(route(), { focus: false });
}

/* -------------------------------------------------------------- views */

function load(current, reason) {
  if (!auth.current()) return;
  switch (current.name) {
    case 'board': return board.loadBoard({ conditional: reason !== 'navigate' });
    case 'requests': return list.loadList();
    case 'request': return requestPage.openRequest(current.id, { refresh: reason !== 'navigate' });
    default: return null;
  }
}

function show(current, { focus = true } = {}) {
  view = current;
  for (const name of VIEWS) byId(`view-${name}`).hidden = name !== current.name;
  for (const link of byId('primary-nav').querySelectorAll('a')) {
    const active = link.dataset.view === current.name || (current.name === 'request' && link.dataset.view === 'requests');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (current.name === 'request') requestPage.clearNotice();
  if (focus) byId(`view-${current.name}`).querySelector('h2')?.focus();
  load(current, 'navigate');
}

function onLiveMode(mode) {
  byId('live-status').textContent = mode === 'off' ? '' : t(`live.${mode}`);
}

function rerender() {
  renderSession();
  onLiveMode(live.currentMode());
  if (!auth.current()) return;
  board.render();
  list.render();
  requestPage.render();
  report.render();
  if (reference) {
    board.setReference(reference);
    list.setReference(reference);
    renderFilingForm(reference);
  }
}

/* -------------------------------------------------------------- start */

function wire() {
  byId('sign-in').addEventListener('click', () => auth.signIn().catch(reportError));
  byId('sign-out').addEventListener('click', () => auth.signOut().catch(reportError));
  const language = byId('language');
  language.value = currentLanguage();
  language.addEventListener('change', () => use(language.value).catch(reportError));
  window.addEventListener('hashchange', () => { clearAlerts(); show(route()); });
  live.onChange((reason) => { if (view) load(view, reason); });
  live.onModeChange(onLiveMode);
  byId('live-auto').addEventListener('change', (event) => (event.target.checked ? live.start() : live.pause()));
  byId('live-refresh').addEventListener('click', () => live.refreshNow());
  board.wireBoard();
  list.wireList();
  report.wireReport();
  wireFilingForm((filed) => {
    location.hash = `#/requests/${filed.id}`;
  });
  onLanguageChange(rerender);
  auth.onSessionChange((session, reason) => { onSession(session, reason); });
}

async function main() {
  await initLanguage();
  wire();
  try {
    const back = await auth.initSession();
    if (back && back !== location.hash) location.hash = back;
  } catch (error) {
    showProblem({ title: t('session.failed'), detail: error.message });
  }
  renderSession();
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  document.body.append(h('p', { role: 'alert' }, String(error?.message ?? error)));
});
