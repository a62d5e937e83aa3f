/**
 * What the contract accepts (GET /api/reference: legal bases, assistance types, urgencies, statuses, each action's
 * fields, the fields' limits), the directory of authorities (GET /api/authorities) and the instrument catalogue
 * (GET /api/reference/instruments, whose titles name the legal bases), loaded once per session:
 * forms and filters offer exactly these, and cap their fields with these limits, so the page restates none of the
 * API's rules.
 */

import { getJson } from './api.js';
import { setLabels } from './i18n.js';

let loaded = null;

export function loadReference() {
  loaded ??= Promise.all([getJson('/api/reference'), getJson('/api/authorities'), getJson('/api/reference/instruments')]).then(([contract, authorities, instruments]) => {
    // A basis is named by its instrument (and its procedure when the instrument has several), as the catalogue titles it.
    setLabels('legalBasis', new Map((instruments ?? []).flatMap((i) => i.bases.map((b) => [b.code, i.bases.length > 1 ? `${i.shortTitle} — ${b.title}` : i.shortTitle]))));
    return {
      ...contract,
      authorities: new Map((authorities ?? []).map((a) => [a.code, a])),
      instruments: instruments ?? [],
      fieldsOf: (action) => contract.actions.find((a) => a.action === action)?.fields ?? [],
    };
  }).catch((error) => {
    loaded = null;
    throw error;
  });
  return loaded;
}

export function forgetReference() {
  loaded = null;
}
