/**
 * What the contract accepts (GET /api/reference: legal bases, assistance types, urgencies, statuses, each action's
 * fields, the fields' limits) and the directory of authorities (GET /api/authorities), loaded once per session:
 * forms and filters offer exactly these, and cap their fields with these limits, so the page restates none of the
 * API's rules.
 */

import { getJson } from './api.js';

let loaded = null;

export function loadReference() {
  loaded ??= Promise.all([getJson('/api/reference'), getJson('/api/authorities')]).then(([contract, authorities]) => ({
    ...contract,
    authorities: new Map((authorities ?? []).map((a) => [a.code, a])),
    fieldsOf: (action) => contract.actions.find((a) => a.action === action)?.fields ?? [],
  })).catch((error) => {
    loaded = null;
    throw error;
  });
  return loaded;
}

export function forgetReference() {
  loaded = null;
}
