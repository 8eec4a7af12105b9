import { IntlMessageFormat } from 'intl-messageformat';

/**
 * Messages are ICU MessageFormat, formatted by FormatJS's `intl-messageformat` (plural rules from the
 * runtime's `Intl.PluralRules`, CLDR data shipped with Node):
 *
 * - `{name}` is a value put in as written (strings as they are, numbers with `String`);
 * - `{count, plural, one {# result} other {# results}}` picks the branch for the language's plural category of
 *   `count` (English `one` is 1 only; French `one` is 0 and 1, and 1.5) and writes `#` as the number formatted
 *   for the language (1,000 / 1 000); `=0 {…}` matches an exact value;
 * - `{kind, select, tip {…} other {…}}` picks a branch by a string value.
 *
 * ICU quotes with the apostrophe: a `'` right before `{`, `}` or `#` (in a plural) starts quoted text, and `''`
 * is one apostrophe. Write the typographic `’` in text (`l’{name}`, not `l'{name}`); the catalog tests
 * format every message both ways to catch a quoting apostrophe. Tags (`<b>`) are plain text here.
 */
export type MessageValues = Readonly<Record<string, string | number>>;

/** One argument of a message, for comparing languages: its name, kind and, for plural/select, its branches. */
export interface MessageArgument {
  readonly name: string;
  readonly kind: 'text' | 'number' | 'date' | 'time' | 'select' | 'plural' | 'selectordinal';
  /** The branch names of a plural or select argument (`one`, `other`, `=0`…), sorted. */
  readonly branches?: readonly string[];
}

type Element = ReturnType<IntlMessageFormat['getAst']>[number];

// Element types of @formatjs/icu-messageformat-parser's AST (its `TYPE` enum).
const ARGUMENT = 1;
const NUMBER = 2;
const DATE = 3;
const TIME = 4;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

interface Compiled {
  readonly format: IntlMessageFormat;
  /** Plain `{name}` arguments, anywhere in the message: left visible as `{name}` when no value is given. */
  readonly plain: readonly string[];
}

const compiled = new Map<string, Map<string, Compiled | null>>();

function compile(locale: string, template: string): Compiled | null {
  let byTemplate = compiled.get(locale);
  if (!byTemplate) compiled.set(locale, (byTemplate = new Map()));
  let entry = byTemplate.get(template);
  if (entry === undefined) {
    try {
      const format = new IntlMessageFormat(template, locale, undefined, { ignoreTag: true });
      const plain = [...new Set(messageArguments(format.getAst()).filter((a) => a.kind === 'text').map((a) => a.name))];
      entry = { format, plain };
    } catch {
      entry = null;
    }
    byTemplate.set(template, entry);
  }
  return entry;
}

/**
 * Formats one catalog message in `locale` with `values`. A plain `{name}` without a value stays visible as
 * `{name}` (as does the whole message if it cannot be parsed or a plural's number is missing), so a slip
 * shows on the page instead of failing the request; the catalog tests parse every message.
 */
export function formatMessage(locale: string, template: string, values?: MessageValues): string {
  if (!template.includes('{')) return template;
  const message = compile(locale, template);
  if (!message) return template;
  const all: Record<string, string | number> = {};
  for (const name of message.plain) all[name] = `{${name}}`;
  if (values) for (const [name, value] of Object.entries(values)) all[name] = value;
  try {
    return String(message.format.format(all));
  } catch {
    return template;
  }
}

/** Whether `template` is valid ICU MessageFormat (the error's text when it is not). */
export function parseProblem(template: string): string | undefined {
  try {
    new IntlMessageFormat(template, 'en', undefined, { ignoreTag: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The arguments a message uses, in order of appearance, nested ones (inside plural branches) included. */
export function templateArguments(template: string): MessageArgument[] {
  return messageArguments(new IntlMessageFormat(template, 'en', undefined, { ignoreTag: true }).getAst());
}

function messageArguments(elements: readonly Element[]): MessageArgument[] {
  const found: MessageArgument[] = [];
  const walk = (els: readonly Element[]) => {
    for (const el of els) {
      switch (el.type) {
        case ARGUMENT:
          found.push({ name: el.value, kind: 'text' });
          break;
        case NUMBER:
          found.push({ name: el.value, kind: 'number' });
          break;
        case DATE:
          found.push({ name: el.value, kind: 'date' });
          break;
        case TIME:
          found.push({ name: el.value, kind: 'time' });
          break;
        case SELECT:
        case PLURAL: {
          const kind = el.type === SELECT ? 'select' : el.pluralType === 'ordinal' ? 'selectordinal' : 'plural';
          found.push({ name: el.value, kind, branches: Object.keys(el.options).sort() });
          for (const option of Object.values(el.options)) walk(option.value);
          break;
        }
        case TAG:
          walk(el.children);
          break;
        default:
          break;
      }
    }
  };
  walk(elements);
  return found;
}
