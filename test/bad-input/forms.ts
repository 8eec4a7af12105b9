// Reads the forms of the site's own pages, so the bad-input cases post the field names the pages use.
import { Parser } from 'htmlparser2';
import type { MountedRoute } from '../../src/app.js';
import type { TestClient } from '../support/client.js';

export interface FormField {
  name: string;
  /** input type (`text`, `email`, `hidden`, `checkbox`…), or `textarea`, `select`, `button`. */
  kind: string;
  /** The value the page would submit untouched: the input's value, the selected option, the button's value. */
  value: string;
  /** `inputmode`, to tell number-like text inputs. */
  inputmode?: string;
  autocomplete?: string;
}

export interface PageForm {
  /** The path the form posts to (no query). */
  action: string;
  /** The page it was found on. */
  page: string;
  fields: FormField[];
}

/** Every POST form of an HTML page, with its named fields (`_csrf` left out). */
export function parseForms(html: string, pagePath: string): PageForm[] {
  const forms: PageForm[] = [];
  let form: PageForm | undefined;
  let select: FormField | undefined;
  let firstOption: string | undefined;
  let textarea: FormField | undefined;
  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        if (tag === 'form') {
          if ((attrs.method ?? 'get').toLowerCase() !== 'post') return;
          form = { action: new URL(attrs.action || pagePath, `http://site${pagePath}`).pathname, page: pagePath, fields: [] };
          forms.push(form);
          return;
        }
        if (tag === 'option' && select) {
          const value = attrs.value ?? '';
          if (firstOption === undefined && value !== '') firstOption = value;
          if ('selected' in attrs) select.value = value;
          return;
        }
        if (!form || !attrs.name || attrs.name === '_csrf') return;
        if (tag === 'input') {
          const type = (attrs.type ?? 'text').toLowerCase();
          if (type === 'submit' || type === 'image' || type === 'reset') return;
          if ((type === 'radio' || type === 'checkbox') && form.fields.some((f) => f.name === attrs.name)) return;
          form.fields.push({ name: attrs.name, kind: type, value: attrs.value ?? (type === 'checkbox' ? 'on' : ''), inputmode: attrs.inputmode, autocomplete: attrs.autocomplete });
        } else if (tag === 'textarea') {
          textarea = { name: attrs.name, kind: 'textarea', value: '' };
          form.fields.push(textarea);
        } else if (tag === 'select') {
          select = { name: attrs.name, kind: 'select', value: '' };
          firstOption = undefined;
          form.fields.push(select);
        } else if (tag === 'button' && !form.fields.some((f) => f.name === attrs.name)) {
          form.fields.push({ name: attrs.name, kind: 'button', value: attrs.value ?? '' });
        }
      },
      ontext(text) {
        if (textarea) textarea.value += text;
      },
      onclosetag(tag) {
        if (tag === 'form') form = undefined;
        if (tag === 'textarea') textarea = undefined;
        if (tag === 'select' && select) {
          if (select.value === '' && firstOption !== undefined) select.value = firstOption;
          select = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return forms;
}

/**
 * Opens every HTML page of the route table, plus `extraPages`, and collects their forms by action path.
 * Each page is opened by the clients `clientsFor` names, in turn, until one sees it (the join form shows
 * to someone who is not yet a member). The first form found for an action wins.
 */
export async function discoverForms(
  routes: readonly MountedRoute[],
  concretePath: (route: MountedRoute) => string,
  clientsFor: (area: string) => TestClient[],
  extraPages: string[] = [],
): Promise<Map<string, PageForm>> {
  const pages = routes
    .filter((route) => route.method === 'GET' && ['public', 'account', 'studio', 'embed'].includes(route.area))
    .map((route) => ({ path: concretePath(route), area: route.area }));
  for (const path of extraPages) pages.push({ path, area: 'public' });
  const byAction = new Map<string, PageForm>();
  for (const { path, area } of pages) {
    for (const client of clientsFor(area)) {
      const { res, html } = await client.get(path, { accept: 'text/html' });
      if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('text/html')) continue;
      for (const form of parseForms(html, path)) if (!byAction.has(form.action)) byAction.set(form.action, form);
    }
  }
  return byAction;
}

/** A regular expression matching the concrete paths of a route pattern (`/tiers/:tierId`, `/uploads/*`). */
export function routePattern(path: string): RegExp {
  let source = '';
  for (const part of path.split(/(:\w+(?:\{[^}]*\})?|\*)/)) {
    if (part.startsWith(':')) source += `(?:${/\{([^}]*)\}/.exec(part)?.[1] ?? '[^/]+'})`;
    else if (part === '*') source += '.+';
    else source += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}/?$`);
}

/** The form that posts to this route: the one for `preferred` if a page has it, else any matching the pattern. */
export function formForRoute(forms: Map<string, PageForm>, route: MountedRoute, preferred: string): PageForm | undefined {
  if (forms.has(preferred)) return forms.get(preferred);
  const pattern = routePattern(route.path);
  return [...forms.values()].find((form) => pattern.test(form.action));
}

/** Fields a person edits (not hidden inputs, not buttons). */
export function editableFields(form: PageForm | undefined): FormField[] {
  return (form?.fields ?? []).filter((f) => f.kind !== 'hidden' && f.kind !== 'button');
}

/** Inputs whose value is a number (type number, a numeric keyboard, or a name that says so). */
export function isNumberField(field: FormField): boolean {
  return field.kind === 'number' || field.inputmode === 'numeric' || field.inputmode === 'decimal' || /price|amount|minimum|rank|days|position|count/i.test(field.name);
}

/** Free-text inputs, whose value a re-shown form must keep (passwords and card data are never shown again). */
export function isKeptText(field: FormField): boolean {
  return ['text', 'email', 'url', 'search', 'tel', 'textarea'].includes(field.kind) && !(field.autocomplete ?? '').startsWith('cc-');
}
