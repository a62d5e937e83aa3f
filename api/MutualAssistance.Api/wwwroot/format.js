/** Dates through Intl in the page's locale: in the viewer's zone, or in a named IANA zone (the responsible side's). */

import { locale, t } from './i18n.js';

const cache = new Map();

function formatter(timeZone, { seconds = false, dateOnly = false, timeOnly = false } = {}) {
  const key = `${locale()}|${timeZone ?? ''}|${seconds}|${dateOnly}|${timeOnly}`;
  if (!cache.has(key)) {
    const options = dateOnly
      ? { dateStyle: 'medium', timeZone: 'UTC' }
      : timeOnly
        ? { timeStyle: 'medium', hourCycle: 'h23' }
        : { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short', hourCycle: 'h23' };
    if (timeZone && !dateOnly) options.timeZone = timeZone;
    cache.set(key, new Intl.DateTimeFormat(locale(), options));
  }
  return cache.get(key);
}

export function parseDate(value) {
  if (!value) return null;
  // .NET may send 7 fractional digits; trim to milliseconds for every browser's parser.
  const date = new Date(String(value).replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** In the viewer's zone. */
export function formatViewer(value, { seconds = false } = {}) {
  const date = parseDate(value);
  return date ? formatter(null, { seconds }).format(date) : '—';
}

/** In `timeZone`, named after it; an unknown zone falls back to the wall-clock time the API computed. */
export function formatZoned(value, timeZone, localFallback) {
  const date = parseDate(value);
  if (!date) return '—';
  if (!timeZone) return formatViewer(value);
  try {
    return `${formatter(timeZone).format(date)} ${timeZone}`;
  } catch {
    return `${localFallback ? localFallback.slice(0, 16).replace('T', ' ') : date.toISOString()} ${timeZone}`;
  }
}

/** A date without time (yyyy-mm-dd on the wire). */
export function formatDateOnly(value) {
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value ?? '');
  return match ? formatter(null, { dateOnly: true }).format(new Date(`${match[1]}T00:00:00Z`)) : (value ?? '—');
}

export function formatTimeOfDay(date) {
  return formatter(null, { timeOnly: true }).format(date);
}

/** "7 Dec 2026, 09:00 (your time)" and, beneath, the same instant in the responsible side's zone. */
export function bothZones(h, dueAt, timeZone, dueLocal) {
  if (!dueAt) return t('clock.noDue');
  return h('span', { class: 'both-zones' },
    h('time', { datetime: dueAt, class: 'due-viewer' }, t('time.yours', { time: formatViewer(dueAt) })),
    h('span', { class: 'due-zone' }, t('time.responsible', { time: formatZoned(dueAt, timeZone, dueLocal) })));
}

export function localIsoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
