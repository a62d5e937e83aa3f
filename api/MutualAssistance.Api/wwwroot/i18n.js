/**
 * The page's languages: English, Russian and Chinese. Every text of the page is a key in lang-{en,ru,zh}.json (a
 * test fails when one language lacks a key); plural texts hold one form per CLDR category of the language. The
 * language is the user's choice (kept in localStorage), else the first of the browser's languages we have, else
 * English. Dates and numbers are formatted by Intl in the language's locale.
 */

export const LANGUAGES = Object.freeze({ en: 'en-GB', ru: 'ru-RU', zh: 'zh-CN' });
const CHOICE_KEY = 'ma.language';

let language = 'en';
let texts = {};
let english = {};
const listeners = new Set();

async function load(code) {
  const response = await fetch(`lang-${code}.json`, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`lang-${code}.json: HTTP ${response.status}`);
  return response.json();
}

function fromBrowser() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (primary in LANGUAGES) return primary;
  }
  return 'en';
}

function stored() {
  try {
    const value = localStorage.getItem(CHOICE_KEY);
    return value in LANGUAGES ? value : null;
  } catch {
    return null;
  }
}

export const currentLanguage = () => language;
export const locale = () => LANGUAGES[language];

/** Loads the chosen (or the browser's) language; English is kept as the fallback for a missing key at run time. */
export async function initLanguage() {
  english = await load('en');
  await use(stored() ?? fromBrowser(), { remember: false });
}

/** Switches the page to `code`; with `remember`, it is the user's choice from now on. */
export async function use(code, { remember = true } = {}) {
  if (!(code in LANGUAGES)) code = 'en';
  texts = code === 'en' ? english : await load(code);
  language = code;
  if (remember) {
    try { localStorage.setItem(CHOICE_KEY, code); } catch { /* storage disabled: the choice lasts this page only */ }
  }
  document.documentElement.lang = code === 'zh' ? 'zh-Hans' : code;
  translateStatic(document);
  for (const listener of listeners) listener(code);
}

/** Runs `listener` after every language change (views re-render their dynamic text). */
export function onLanguageChange(listener) {
  listeners.add(listener);
}

function pick(entry, count) {
  if (entry === null || typeof entry !== 'object') return entry;
  const category = new Intl.PluralRules(locale()).select(count ?? 0);
  return entry[category] ?? entry.other;
}

/**
 * The text of `key` with `{name}` placeholders filled from `params`; numbers are formatted in the locale. A plural
 * text picks its form by `params.count`.
 */
export function t(key, params = {}) {
  const entry = texts[key] ?? english[key];
  if (entry === undefined) return key;
  const text = pick(entry, params.count);
  return String(text).replace(/\{(\w+)\}/g, (match, name) => {
    const value = params[name];
    if (value === undefined || value === null) return match;
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

/** Whether `key` exists (in English, the reference language). */
export const has = (key) => key in english;

/** Labels that come from reference data rather than the language files (the legal bases' titles in the catalogue). */
const dataLabels = new Map();

export function setLabels(kind, labels) {
  dataLabels.set(kind, labels);
}

/**
 * The label of a contract value (a status, an action, a clock kind...): `kind.value`, or the reference data's title
 * for a value the data names (a legal basis); a value this page does not know yet is shown as sent.
 */
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const fromData = dataLabels.get(kind)?.get(value);
  if (fromData) return fromData;
  const key = `${kind}.${value}`;
  return has(key) ? t(key) : String(value);
}

/** Fills `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-aria-label` and `data-i18n-title` under `root`. */
export function translateStatic(root) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of root.querySelectorAll('[data-i18n-aria-label]')) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
  for (const node of root.querySelectorAll('[data-i18n-title]')) node.title = t(node.dataset.i18nTitle);
  document.title = t('page.title');
}

export function formatNumber(value, digits) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const options = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), options).format(value);
}
