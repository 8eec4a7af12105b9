import { formatMessage, parseProblem, templateArguments, type MessageArgument } from './format.js';

/** Kinds of argument that take a number: a language may write as plural what another writes plainly. */
const NUMERIC: ReadonlySet<MessageArgument['kind']> = new Set(['text', 'number', 'plural', 'selectordinal']);

/**
 * What is wrong with one message in its languages (for the catalog tests): it does not parse as ICU
 * MessageFormat; an apostrophe quotes part of it (`l'{name}`: write `l’{name}`); its languages do not use
 * the same argument names, or use one in incompatible ways (a select in one, a date in another); a plural
 * branch is not a plural category of that language (the parser already insists on `other`).
 */
export function messageProblems(key: string, texts: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const argsByLocale = new Map<string, MessageArgument[]>();
  for (const [locale, text] of Object.entries(texts)) {
    const problem = parseProblem(text);
    if (problem) {
      problems.push(`${locale} ${key} is not valid ICU MessageFormat: ${problem}`);
      continue;
    }
    const args = templateArguments(text);
    argsByLocale.set(locale, args);
    if (args.every((a) => a.kind === 'text')) {
      // A message of plain placeholders reads the same through ICU as by replacing each {name}.
      const values = Object.fromEntries(args.map((a) => [a.name, `<${a.name}>`]));
      const naive = text.replace(/\{(\w+)\}/g, (_, name: string) => `<${name}>`);
      if (formatMessage(locale, text, values) !== naive) problems.push(`${locale} ${key}: an apostrophe before { or } quotes text in ICU; write ’ instead`);
    }
    const categories = new Set<string>(new Intl.PluralRules(locale).resolvedOptions().pluralCategories);
    for (const arg of args) {
      if (arg.kind !== 'plural' || !arg.branches) continue;
      for (const branch of arg.branches) {
        if (!branch.startsWith('=') && !categories.has(branch)) problems.push(`${locale} ${key}: "${branch}" is not a plural category of ${locale} (${[...categories].join(', ')})`);
      }
    }
  }
  const [first, ...others] = [...argsByLocale.entries()];
  if (first) {
    const kinds = (args: MessageArgument[]) => {
      const byName = new Map<string, Set<MessageArgument['kind']>>();
      for (const a of args) byName.set(a.name, (byName.get(a.name) ?? new Set()).add(a.kind));
      return byName;
    };
    const reference = kinds(first[1]);
    for (const [locale, args] of others) {
      const mine = kinds(args);
      const names = (m: Map<string, unknown>) => [...m.keys()].sort().join(', ');
      if (names(mine) !== names(reference)) {
        problems.push(`${key}: ${first[0]} uses {${names(reference)}} but ${locale} uses {${names(mine)}}`);
        continue;
      }
      for (const [name, kindsHere] of mine) {
        const all = new Set([...kindsHere, ...reference.get(name)!]);
        const compatible = all.size === 1 || [...all].every((k) => NUMERIC.has(k)) || [...all].every((k) => k === 'text' || k === 'select');
        if (!compatible) problems.push(`${key}: {${name}} is ${[...reference.get(name)!].join('/')} in ${first[0]} but ${[...kindsHere].join('/')} in ${locale}`);
      }
    }
  }
  return problems;
}

/**
 * What is wrong with a catalog pair: French lacks an English key or has one English does not, a text is
 * empty, or a message has a problem ({@link messageProblems}).
 */
export function catalogProblems(name: string, messages: { readonly en: Readonly<Record<string, string>>; readonly fr: Readonly<Record<string, string>> }): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(messages.en)) if (!Object.hasOwn(messages.fr, key)) problems.push(`${name}: fr lacks ${key}`);
  for (const key of Object.keys(messages.fr)) if (!Object.hasOwn(messages.en, key)) problems.push(`${name}: fr has ${key}, which en does not`);
  for (const [key, english] of Object.entries(messages.en)) {
    const french = messages.fr[key];
    if (french === undefined) continue;
    if (!english.trim() || !french.trim()) problems.push(`${name}: ${key} is empty in ${english.trim() ? 'fr' : 'en'}`);
    problems.push(...messageProblems(key, { en: english, fr: french }));
  }
  return problems;
}
