/**
 * The signed-in session: OpenID Connect authorization code flow with PKCE (S256) against the node's provider, named
 * by GET /page/sign-in. The page never sees a password: it sends the user to the provider, which comes back to
 * this page with a code; the code and the verifier buy the tokens at the token endpoint. Tokens live in this tab's
 * sessionStorage only; the access token is refreshed (refresh_token grant) before it expires, and when that fails
 * the user is asked to sign in again. Sign-out ends the provider's session too (end-session endpoint).
 */

const SESSION_KEY = 'ma.session';
const PENDING_KEY = 'ma.sign-in';
const REFRESH_MARGIN = 0.25; // refresh when a quarter of the lifetime is left (at most a minute before expiry)

let settings = null;
let metadata = null;
let session = null;
let refreshTimer = 0;
let refreshing = null;
const listeners = new Set();

/** Runs `listener(session, reason)` whenever the session starts, is refreshed or ends ('signed-out', 'expired'). */
export function onSessionChange(listener) {
  listeners.add(listener);
}

function notify(reason) {
  for (const listener of listeners) listener(session, reason);
}

export const current = () => session;
export const configured = () => Boolean(settings?.issuer);

/* -------------------------------------------------------------- encoding */

function base64Url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = (length = 32) => base64Url(crypto.getRandomValues(new Uint8Array(length)));

async function challengeOf(verifier) {
  return base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** The payload of a JWT, not validated: the API validates access tokens; the ID token came straight from the provider over its own connection. */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/* -------------------------------------------------------------- storage */

function read(key, store = sessionStorage) {
  try {
    return JSON.parse(store.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function write(key, value, store = sessionStorage) {
  try {
    if (value === null) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    // Storage disabled: the session lasts as long as the page.
  }
}

/* -------------------------------------------------------------- provider */

async function providerMetadata() {
  if (!metadata) {
    const base = settings.issuer.endsWith('/') ? settings.issuer : `${settings.issuer}/`;
    const response = await fetch(`${base}.well-known/openid-configuration`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`The sign-in provider's discovery document answered HTTP ${response.status}.`);
    metadata = await response.json();
  }
  return metadata;
}

const redirectUri = () => `${location.origin}/`;

async function tokenRequest(fields) {
  const { token_endpoint: endpoint } = await providerMetadata();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ client_id: settings.clientId, ...fields }),
    cache: 'no-store',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new Error(body.error_description || body.error || `The token endpoint answered HTTP ${response.status}.`);
  }
  return body;
}

function sessionFrom(tokens, previous) {
  const access = claimsOf(tokens.access_token);
  const idToken = tokens.id_token ?? previous?.idToken ?? null;
  const identity = idToken ? claimsOf(idToken) : {};
  const lifetime = Number(tokens.expires_in) || Math.max(0, (access.exp ?? 0) - Date.now() / 1000);
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? previous?.refreshToken ?? null,
    idToken,
    issuedAt: Date.now(),
    expiresAt: Date.now() + lifetime * 1000,
    user: {
      subject: access.sub ?? identity.sub ?? null,
      name: identity.name ?? access.name ?? access.sub ?? null,
      authority: access.authority ?? null,
      roles: [].concat(access.role ?? access.roles ?? []),
    },
  };
}

function start(next, reason) {
  session = next;
  write(SESSION_KEY, session);
  scheduleRefresh();
  notify(reason);
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  if (!session) return;
  const lifetime = session.expiresAt - session.issuedAt;
  const margin = Math.min(60_000, lifetime * REFRESH_MARGIN);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), Math.max(1_000, session.expiresAt - margin - Date.now()));
}

/* -------------------------------------------------------------- public */

/**
 * Reads the sign-in settings, finishes a sign-in the provider has just returned from (the code in the query), or
 * restores this tab's session. Returns the hash the user was at before signing in, when coming back.
 */
export async function initSession() {
  const response = await fetch('/page/sign-in', { cache: 'no-store' });
  settings = response.ok ? await response.json() : { issuer: null };
  if (!settings.issuer) return null;

  const query = new URLSearchParams(location.search);
  if (query.has('code') || query.has('error')) {
    const pending = read(PENDING_KEY);
    write(PENDING_KEY, null);
    history.replaceState(null, '', `/${pending?.hash ?? ''}`);
    if (query.has('error')) throw new Error(query.get('error_description') || query.get('error'));
    if (!pending || pending.state !== query.get('state')) throw new Error('The sign-in answer does not match the sign-in this tab started.');
    const tokens = await tokenRequest({
      grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(), code_verifier: pending.verifier,
    });
    if (tokens.id_token && claimsOf(tokens.id_token).nonce !== pending.nonce) throw new Error('The ID token does not carry this sign-in\'s nonce.');
    start(sessionFrom(tokens), 'signed-in');
    return pending.hash ?? null;
  }

  const saved = read(SESSION_KEY);
  if (saved?.accessToken) {
    session = saved;
    if (Date.now() >= saved.expiresAt - 5_000) await refresh().catch(() => {});
    else start(saved, 'restored');
  }
  return null;
}

/** Sends the user to the provider; back at this page with a code, initSession finishes the sign-in. */
export async function signIn() {
  const { authorization_endpoint: endpoint } = await providerMetadata();
  const verifier = randomText(48);
  const pending = { verifier, state: randomText(), nonce: randomText(), hash: location.hash };
  write(PENDING_KEY, pending);
  const query = new URLSearchParams({
    client_id: settings.clientId, response_type: 'code', redirect_uri: redirectUri(), scope: settings.scope,
    state: pending.state, nonce: pending.nonce, code_challenge: await challengeOf(verifier), code_challenge_method: 'S256',
  });
  location.assign(`${endpoint}?${query}`);
}

/**
 * A new access token for the refresh token; a failure (revoked, provider down past expiry) ends the session as
 * 'expired', which asks the user to sign in again. Concurrent callers share one refresh.
 */
export function refresh() {
  if (!session?.refreshToken) {
    end('expired');
    return Promise.reject(new Error('No refresh token.'));
  }
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refreshToken })
    .then((tokens) => start(sessionFrom(tokens, session), 'refreshed'))
    .catch((error) => {
      end('expired');
      throw error;
    })
    .finally(() => { refreshing = null; });
  return refreshing;
}

function end(reason) {
  clearTimeout(refreshTimer);
  const ended = session;
  session = null;
  write(SESSION_KEY, null);
  notify(reason);
  return ended;
}

/** Ends the session here and at the provider, which sends the user back to this page. */
export async function signOut() {
  const ended = end('signed-out');
  const { end_session_endpoint: endpoint } = await providerMetadata();
  if (!endpoint) return;
  const query = new URLSearchParams({ client_id: settings.clientId, post_logout_redirect_uri: redirectUri() });
  if (ended?.idToken) query.set('id_token_hint', ended.idToken);
  location.assign(`${endpoint}?${query}`);
}
