/**
 * The API client: every call carries the session's bearer token and the page's language (problem details come back
 * in it: their `type` and field names stay stable, their `title`/`detail` are translated). A 401 refreshes the token
 * once and retries; errors are thrown as ProblemError holding the RFC 9457 body.
 */

import { currentLanguage, t } from './i18n.js';
import * as auth from './session.js';

export class ProblemError extends Error {
  constructor(problem, { silent = false } = {}) {
    super(problem.detail || problem.title || 'Request failed');
    this.name = 'ProblemError';
    this.problem = problem;
    this.status = problem.status;
    this.silent = silent; // already handled (signed out)
  }
}

async function readProblem(response) {
  const fallback = { title: response.statusText || t('problem.failed'), status: response.status };
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

async function send(path, { method = 'GET', headers = {}, body, signal } = {}, retried = false) {
  const session = auth.current();
  if (!session) throw new ProblemError({ title: t('session.signedOut') }, { silent: true });
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        Accept: 'application/json', 'Accept-Language': currentLanguage(), ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        Authorization: `Bearer ${session.accessToken}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', // conditional requests are ours (If-None-Match), not the HTTP cache's
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ProblemError({ title: t('problem.network'), detail: t('problem.networkDetail') });
  }
  if (response.status === 401) {
    if (!retried) {
      try {
        await auth.refresh();
        return send(path, { method, headers, body, signal }, true);
      } catch {
        // refresh() ended the session as 'expired'; the page asks the user to sign in again.
      }
    }
    throw new ProblemError({ title: t('session.expired'), status: 401 }, { silent: true });
  }
  if (!response.ok && response.status !== 304) throw new ProblemError(await readProblem(response));
  return response;
}

/** GET; resolves with the Response for 2xx and 304. */
export const get = (path, options = {}) => send(path, options);

export async function getJson(path, options) {
  return (await send(path, options)).json();
}

/** POST a JSON body; resolves with the Response. */
export const post = (path, body, options = {}) => send(path, { ...options, method: 'POST', body: body ?? {} });

/** Every page of a paged list (`items` and a `next` or `nextCursor` cursor). */
export async function getAllPages(path, limit = 500) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await getJson(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...(page.items ?? []));
    cursor = page.next ?? page.nextCursor ?? null;
  } while (cursor);
  return items;
}

/** The bearer token for the change stream (fetch-based, so the token travels in the header, not the URL). */
export const streamHeaders = () => ({
  Accept: 'text/event-stream', Authorization: `Bearer ${auth.current()?.accessToken ?? ''}`,
});
