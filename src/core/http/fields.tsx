import type { MessageKey } from '../i18n/index.js';
import type { PageEnv } from './layout.js';

export interface FieldState {
  values?: Record<string, string>;
  errors?: Record<string, MessageKey>;
}

interface FieldProps {
  env: PageEnv;
  state: FieldState;
  name: string;
  label: MessageKey;
  hint?: MessageKey;
  type?: 'text' | 'email' | 'password' | 'file';
  required?: boolean;
  autocomplete?: string;
  accept?: string;
  maxlength?: number;
  /** Value when the form is first shown (the submitted value wins when re-shown). */
  initial?: string;
  multiline?: boolean;
}

/** A labelled input with its hint and error tied to it for screen readers (aria-describedby). */
export function Field(props: FieldProps) {
  const { env, state, name } = props;
  const id = `field-${name}`;
  const error = state.errors?.[name];
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const value = props.type === 'password' || props.type === 'file' ? undefined : (state.values?.[name] ?? props.initial ?? '');
  const common = {
    id,
    name,
    required: props.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy,
    maxlength: props.maxlength,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {env.t(props.label)}
        {!props.required && <span class="optional"> {env.t('form.optional')}</span>}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={5}>
          {value}
        </textarea>
      ) : (
        <input {...common} type={props.type ?? 'text'} value={value} autocomplete={props.autocomplete} accept={props.accept} />
      )}
      {props.hint && (
        <p class="hint" id={hintId}>
          {env.t(props.hint)}
        </p>
      )}
      {error && (
        <p class="error" id={errorId}>
          {env.t(error)}
        </p>
      )}
    </div>
  );
}

/** A language choice limited to the interface's languages; `unset` adds a first "not specified" choice (value ""). */
export function LanguageSelect({ env, state, name, label, initial, unset }: { env: PageEnv; state: FieldState; name: string; label: MessageKey; initial?: string; unset?: MessageKey }) {
  const current = state.values?.[name] ?? initial ?? (unset ? '' : env.locale);
  const error = state.errors?.[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={`field-${name}`}>{env.t(label)}</label>
      <select id={`field-${name}`} name={name} aria-invalid={error ? 'true' : undefined}>
        {unset && (
          <option value="" selected={current === ''}>
            {env.t(unset)}
          </option>
        )}
        <option value="en" selected={current === 'en'} lang="en">
          English
        </option>
        <option value="fr" selected={current === 'fr'} lang="fr">
          Français
        </option>
      </select>
      {error && <p class="error">{env.t(error)}</p>}
    </div>
  );
}

/** Summary at the top of a form that failed, announced to assistive technology. */
export function FormErrors({ env, state }: { env: PageEnv; state: FieldState }) {
  if (!state.errors || Object.keys(state.errors).length === 0) return null;
  const formError = state.errors['_form'];
  return (
    <div class="notice notice-error" role="alert">
      <p>{env.t(formError ?? 'error.validation')}</p>
    </div>
  );
}
