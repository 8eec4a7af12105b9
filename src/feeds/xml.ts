/**
 * A tiny XML writer for feeds: elements are plain values, every text and attribute value is escaped
 * on the way out, and characters XML 1.0 cannot carry at all (control characters, lone surrogates)
 * are dropped, so a title pasted with a stray control character cannot break a subscriber's reader.
 */

/** An attribute value; `undefined`, `null` and `false` leave the attribute out. */
export type XmlAttrValue = string | number | boolean | null | undefined;

/** What an element may contain; `null`, `undefined` and `false` are skipped, so optional parts read inline. */
export type XmlChild = XmlElement | string | number | null | undefined | false | XmlChild[];

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, XmlAttrValue>>;
  readonly children: readonly XmlChild[];
}

/**
 * Builds an element. Names come from our code, never from user input; values may come from anyone.
 *
 * @example
 * renderXml(el('rss', { version: '2.0' }, el('channel', {}, el('title', {}, 'Tom & Jerry'))))
 */
export function el(name: string, attrs: Record<string, XmlAttrValue> = {}, ...children: XmlChild[]): XmlElement {
  return { name, attrs, children };
}

// Tab, line feed, carriage return and the ranges XML 1.0 allows; with the u flag a lone surrogate is its own
// code point, outside every range here, so it is removed while emoji (surrogate pairs) survive.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content. `>` is escaped too, so `]]>` can never appear. `\r` survives parsing only as a reference. */
export function escapeText(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/[&<>\r]/g, (ch) => ENTITIES[ch]!);
}

/** Escapes a double-quoted attribute value; tabs and line breaks become references so parsers keep them. */
export function escapeAttr(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/[&<>"\t\n\r]/g, (ch) => ENTITIES[ch]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function flatten(children: readonly XmlChild[]): (XmlElement | string)[] {
  const out: (XmlElement | string)[] = [];
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) out.push(...flatten(child));
    else out.push(typeof child === 'number' ? String(child) : (child as XmlElement | string));
  }
  return out;
}

function renderAttrs(attrs: Readonly<Record<string, XmlAttrValue>>): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    out += ` ${name}="${escapeAttr(String(value))}"`;
  }
  return out;
}

function renderElement(node: XmlElement, indent: string): string {
  const open = `<${node.name}${renderAttrs(node.attrs)}`;
  const children = flatten(node.children);
  if (children.length === 0) return `${open}/>`;
  // Elements holding only elements are laid out one per line; anything with text stays on one line,
  // because whitespace added inside text would change the text.
  if (children.every((c) => typeof c !== 'string')) {
    const inner = indent + '  ';
    const body = (children as XmlElement[]).map((c) => `\n${inner}${renderElement(c, inner)}`).join('');
    return `${open}>${body}\n${indent}</${node.name}>`;
  }
  const body = children.map((c) => (typeof c === 'string' ? escapeText(c) : renderElement(c, indent))).join('');
  return `${open}>${body}</${node.name}>`;
}

/** The whole document, UTF-8 declared, ending with a newline. */
export function renderXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderElement(root, '')}\n`;
}

/** RFC 822 date (with a four-digit year, as RFC 1123 and every RSS reader expect), in GMT. */
export function rfc822(date: Date): string {
  return date.toUTCString();
}

/** RFC 3339 date in UTC, to the second, as Atom wants. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
