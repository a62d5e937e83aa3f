/** The breach report (GET /api/reports/breaches): met versus breached per partner, legal basis and clock, as a chart, a table and CSV. */

import { byId, h, svg } from './dom.js';
import { formatNumber, label, t } from './i18n.js';
import { get, getJson } from './api.js';
import { formatDateOnly, localIsoDate } from './format.js';
import { clearAlerts, reportError, showFormProblem } from './problems.js';

let shown = null;

function range() {
  const form = byId('report-form');
  const from = byId('report-from').value;
  const to = byId('report-to').value;
  if (!from || !to) {
    showFormProblem(form, { title: t('report.invalidRange'), errors: { [from ? 'to' : 'from']: [t('report.enterDate')] } });
    return null;
  }
  if (from > to) {
    showFormProblem(form, { title: t('report.invalidRange'), errors: { from: [t('report.fromAfterTo')] } });
    return null;
  }
  return { from, to, query: new URLSearchParams({ from, to }).toString() };
}

async function show(event) {
  event.preventDefault();
  const r = range();
  if (!r) return;
  const button = byId('report-show');
  button.disabled = true;
  try {
    shown = { data: await getJson(`/api/reports/breaches?${r.query}`), range: r };
    clearAlerts();
    byId('report-form').querySelector('.form-problem')?.replaceChildren();
    render();
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

const total = (row) => (row.metOnTime ?? 0) + (row.breached ?? 0);
const rowName = (row) => `${row.partnerAuthority ?? '—'} · ${label('legalBasis', row.legalBasis)} · ${label('clockKind', row.clock)}`
  + (row.responsibleSide ? ` (${label('side', row.responsibleSide)})` : '');

export function render() {
  if (!shown) return;
  const { data, range: r } = shown;
  const rows = data?.rows ?? [];
  const sum = (key) => rows.reduce((acc, row) => acc + (row[key] ?? 0), 0);
  byId('report-summary').textContent = t('report.summary', {
    from: formatDateOnly(data?.from ?? r.from), to: formatDateOnly(data?.to ?? r.to),
    met: sum('metOnTime'), breached: sum('breached'), overdue: sum('openOverdue'),
  });
  byId('report-chart').replaceChildren(rows.length ? chart(rows) : h('p', { class: 'muted' }, t('report.empty')));
  const table = byId('report-table');
  table.tBodies[0].replaceChildren(...rows.map((row) => h('tr', {},
    h('th', { scope: 'row' }, row.partnerAuthority ?? '—'),
    h('td', {}, label('legalBasis', row.legalBasis)),
    h('td', {}, label('clockKind', row.clock)),
    h('td', {}, label('side', row.responsibleSide)),
    h('td', { class: 'num' }, formatNumber(row.metOnTime ?? 0)),
    h('td', { class: 'num' }, formatNumber(row.breached ?? 0)),
    h('td', { class: 'num' }, formatNumber(row.medianDays, 1)),
    h('td', { class: 'num' }, formatNumber(row.p90Days, 1)),
    h('td', { class: 'num' }, formatNumber(row.openOverdue ?? 0)))));
  table.tFoot.replaceChildren(h('tr', {},
    h('th', { scope: 'row', colspan: 4 }, t('report.total')),
    h('td', { class: 'num' }, formatNumber(sum('metOnTime'))),
    h('td', { class: 'num' }, formatNumber(sum('breached'))),
    h('td', {}, ''), h('td', {}, ''),
    h('td', { class: 'num' }, formatNumber(sum('openOverdue')))));
  byId('report-table-wrap').hidden = rows.length === 0;
}

/* Chart geometry (SVG user units; the SVG scales to the container width). */
const CHART = { width: 760, legend: 34, label: 18, bar: 20, gap: 14, valueWidth: 220 };

function segment(x, y, width, { fill, title, count }) {
  if (width <= 0) return null;
  return svg('g', {},
    svg('title', {}, title),
    svg('rect', { x, y, width, height: CHART.bar, fill }),
    width >= 22 ? svg('text', { x: x + width / 2, y: y + CHART.bar / 2 + 4, 'text-anchor': 'middle', class: 'bar-count' }, formatNumber(count)) : null);
}

function chart(rows) {
  const max = Math.max(1, ...rows.map(total));
  const height = CHART.legend + rows.length * (CHART.label + CHART.bar + CHART.gap);
  const scale = (CHART.width - CHART.valueWidth) / max;
  return svg('svg', { viewBox: `0 0 ${CHART.width} ${height}`, width: '100%', class: 'breach-chart', role: 'img', 'aria-labelledby': 'report-chart-title report-chart-desc' },
    svg('title', { id: 'report-chart-title' }, t('report.chartTitle')),
    svg('desc', { id: 'report-chart-desc' }, t('report.chartDescription', { count: rows.length })),
    // Breached bars are hatched so the distinction does not rely on colour alone.
    svg('defs', {}, svg('pattern', { id: 'breach-hatch', patternUnits: 'userSpaceOnUse', width: 8, height: 8 },
      svg('rect', { width: 8, height: 8, fill: '#b3261e' }),
      svg('path', { d: 'M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4', stroke: '#ffffff', 'stroke-opacity': 0.55, 'stroke-width': 2 }))),
    svg('g', { class: 'chart-legend' },
      svg('rect', { x: 0, y: 6, width: 16, height: 16, fill: '#2e7d32' }),
      svg('text', { x: 22, y: 19 }, t('report.legendMet')),
      svg('rect', { x: 260, y: 6, width: 16, height: 16, fill: 'url(#breach-hatch)' }),
      svg('text', { x: 282, y: 19 }, t('report.legendBreached'))),
    rows.map((row, index) => {
      const name = rowName(row);
      const met = row.metOnTime ?? 0;
      const breached = row.breached ?? 0;
      const top = CHART.legend + index * (CHART.label + CHART.bar + CHART.gap);
      const barY = top + CHART.label;
      const share = total(row) ? Math.round((breached / total(row)) * 100) : 0;
      return svg('g', { class: 'chart-row' },
        svg('text', { x: 0, y: top + 13, class: 'chart-label' }, name),
        segment(0, barY, met * scale, { fill: '#2e7d32', title: t('report.barMet', { name, count: met }), count: met }),
        segment(met * scale, barY, breached * scale, { fill: 'url(#breach-hatch)', title: t('report.barBreached', { name, count: breached }), count: breached }),
        svg('text', { x: (met + breached) * scale + 8, y: barY + 15, class: 'chart-value' },
          total(row) ? t('report.barValue', { met, breached, share }) : t('report.noneCompleted')));
    }));
}

async function downloadCsv() {
  const r = range();
  if (!r) return;
  const button = byId('report-csv');
  button.disabled = true;
  try {
    const response = await get(`/api/reports/breaches?${r.query}`, { headers: { Accept: 'text/csv' } });
    const disposition = response.headers.get('Content-Disposition') || '';
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
    const url = URL.createObjectURL(await response.blob());
    const link = h('a', { href: url, download: match ? decodeURIComponent(match[1]) : `breaches-${r.from}-to-${r.to}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    reportError(error);
  } finally {
    button.disabled = false;
  }
}

export function reset() {
  shown = null;
  byId('report-summary').textContent = '';
  byId('report-chart').replaceChildren();
  byId('report-table-wrap').hidden = true;
}

export function wireReport() {
  const today = new Date();
  byId('report-from').value = `${today.getFullYear()}-01-01`;
  byId('report-to').value = localIsoDate(today);
  byId('report-form').addEventListener('submit', show);
  byId('report-csv').addEventListener('click', downloadCsv);
}
