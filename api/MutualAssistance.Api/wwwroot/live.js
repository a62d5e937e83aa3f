/**
 * Live updates: the API's change stream (GET /api/deadlines/stream, server-sent events naming the authority's data
 * version each time it changes), read with fetch so that the token travels in the Authorization header. Each
 * event asks the views to reload (each with If-None-Match, so an unchanged view costs a 304). While the stream is
 * down, views are polled every few seconds instead, and the stream is retried with backoff.
 */

import { streamHeaders } from './api.js';

const POLL_INTERVAL_MS = 5000;
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];

let controller = null;
let pollTimer = 0;
let retryTimer = 0;
let attempt = 0;
let mode = 'off';
let lastVersion = null;
const listeners = new Set();
const modeListeners = new Set();

/** `listener(reason)` runs on every change ('changed') and, while the stream is down, every few seconds ('poll'). */
export function onChange(listener) {
  listeners.add(listener);
}

/** `listener(mode)`: 'live' (stream open), 'polling' (fallback), 'paused' (the user's choice) or 'off' (signed out). */
export function onModeChange(listener) {
  modeListeners.add(listener);
}

export const currentMode = () => mode;

function setMode(next) {
  if (next === mode) return;
  mode = next;
  clearInterval(pollTimer);
  pollTimer = 0;
  if (mode === 'polling') pollTimer = setInterval(() => fire('poll'), POLL_INTERVAL_MS);
  for (const listener of modeListeners) listener(mode);
}

function fire(reason) {
  if (reason === 'poll' && document.hidden) return; // no point polling a background tab
  for (const listener of listeners) listener(reason);
}

/** Reads `text/event-stream` frames from the body; calls `onEvent(type, data)` for each. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let type = 'message';
      const data = [];
      for (const line of frame.split(/\r?\n/)) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(type, data.join('\n'));
    }
  }
}

async function connect() {
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  try {
    const response = await fetch('/api/deadlines/stream', { headers: streamHeaders(), cache: 'no-store', signal });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    attempt = 0;
    setMode('live');
    await readEvents(response.body, (type, data) => {
      if (type !== 'changed') return;
      // The first event is the version now: views loaded before it only need a reload if it moved on since.
      const changed = lastVersion !== null && data !== lastVersion;
      const first = lastVersion === null;
      lastVersion = data;
      if (changed || first) fire('changed');
    });
    throw new Error('The change stream ended.');
  } catch (error) {
    if (signal.aborted) return;
    setMode('polling');
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
    attempt += 1;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }
}

/** Opens the stream for the signed-in user (again after a token refresh: the stream holds the token it began with). */
export function start() {
  clearTimeout(retryTimer);
  connect();
}

export function stop() {
  clearTimeout(retryTimer);
  controller?.abort();
  controller = null;
  lastVersion = null;
  attempt = 0;
  setMode('off');
}

/** No automatic updates (the user's choice, e.g. while reading): views change only when the user refreshes. */
export function pause() {
  clearTimeout(retryTimer);
  controller?.abort();
  controller = null;
  setMode('paused');
}

/** A refresh the user asked for. */
export const refreshNow = () => fire('manual');
