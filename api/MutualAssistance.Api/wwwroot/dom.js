/** DOM helpers: elements are built from text (never parsed as HTML), so nothing the API sends can inject markup. */

const SVG_NS = 'http://www.w3.org/2000/svg';

export const byId = (id) => document.getElementById(id);

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

/** Creates an HTML element; text children are inserted as text. */
export function h(tag, attrs, ...children) {
  return appendChildren(setAttributes(document.createElement(tag), attrs), children);
}

export function svg(tag, attrs, ...children) {
  return appendChildren(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** A definition list of [term, value] pairs; empty values are left out. */
export function definitionList(entries) {
  return h('dl', { class: 'facts' },
    entries.filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
