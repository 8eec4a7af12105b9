/**
 * Core's English catalog: the words of the layout, navigation, errors, forms and languages (each capability
 * has its own catalog in its `messages.ts`). The reference: `fr` must have exactly these keys (its type
 * enforces it; the catalog tests check arguments and plurals). Messages are ICU MessageFormat: `{name}` marks
 * a value filled in at run time, `{count, plural, one {# …} other {# …}}` a number's plural.
 */
export const en = {
  'nav.label': 'Main',
  'nav.skip': 'Skip to content',
  'nav.studio': 'Studio',
  'nav.account': 'My account',
  'nav.account_settings': 'Profile and password',
  'nav.memberships': 'My memberships',
  'nav.tips': 'My tips',
  'nav.budget': 'My fan budget',
  'nav.login': 'Log in',
  'nav.signup': 'Sign up',
  'nav.logout': 'Log out',
  'footer.powered': 'Powered by Fanfare, free software (AGPL-3.0): your videos, your fans, your server.',
  'language.en': 'English',
  'language.fr': 'Français',
  'language.switch_to': 'Switch the interface to {language}',

  'form.optional': '(optional)',
  'form.save': 'Save',

  'notice.saved': 'Saved.',

  'error.title': 'Something is not right',
  'error.back_home': 'Back to the home page',
  'error.validation': 'Please correct the fields marked below.',
  'error.required': 'This field is required.',
  'error.invalid_field': 'This value is not valid.',
  'error.email_invalid': 'Enter a valid e-mail address, like name@example.org.',
  'error.language_invalid': 'Choose English or French.',
  'error.bad_request': 'The request could not be understood.',
  'error.malformed_form': 'The form data could not be read. Please try again.',
  'error.unsupported_media_type': 'This page expects a form submission.',
  'error.payload_too_large': 'What you sent is too large (the limit is {max}).',
  'error.csrf': 'This form has expired or did not come from this site. Reload the page and try again.',
  'error.login_required': 'Please log in to see this page.',
  'error.forbidden': 'You do not have permission to do this.',
  'error.not_found': 'This page does not exist.',
  'error.rate_limited': 'Too many attempts. Please wait {minutes, plural, one {# minute} other {# minutes}} and try again.',
  'error.internal': 'An unexpected error occurred. It has been logged; please try again later.',

  // Said by core/http/areas.ts when a fan opens a Studio page.
  'studio.forbidden': 'The Studio is for the site owner and channel teams.',

  // The search box in the layout's header.
  "search.label": "Search videos",
  "search.placeholder": "Search videos",
  // Refused at the boundary by validateForm (core/http/form.ts).
  'error.control_characters': 'This field held invisible control characters; they were removed. Check the text and send it again.',
  // Refused at the boundary by urlGuard (core/http/url-guard.ts): what the address itself carries.
  'error.address_control_characters': 'This address holds invisible control characters. Check the link and try again.',
  'error.query_too_long': 'This address is too long. Check the link and try again.',
  // Said when a write fails because the server's disk is full (core/http/errors.ts, StorageFullError).
  'error.storage_full': 'The server has no disk space left, so this could not be saved. Please try again later; the site owner has been alerted.',
} as const;

