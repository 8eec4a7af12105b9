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






  'studio.forbidden': 'The Studio is for the site owner and channel teams.',

  "search.label": "Search videos",
  "search.placeholder": "Search videos",
  "provider.test": "Test card (no real money)",
  "provider.stripe": "Card (Stripe)",
  "provider.btcpay": "Bitcoin / Lightning (BTCPay)",
  "tip.provider": "Pay with",
  "tip.provider_invalid": "Choose a payment method from the list.",
  "tip.provider_unavailable": "The payment service did not answer. Nothing was charged; please try again in a moment.",

  'notice.recommendation_added': 'The video is recommended on your channel.',
  'notice.recommendation_removed': 'The recommendation is removed.',
  'recommendations.studio_link': 'Recommendations',
  'studio.fediverse': 'Fediverse',
  'studio.fediverse_activity': 'Fediverse activity',
  'recommendations.title_of': 'Recommendations of {name}',
  'recommendations.explain': 'Recommend videos from other sites (PeerTube, YouTube, Vimeo, another Fanfare site…). Paste the address of the video’s page: its title, picture and author are read once and shown on your channel page and under your videos.',
  'recommendations.url': 'Address of the video',
  'recommendations.url_hint': 'The link to the video’s page, like https://video.example/w/abc.',
  'recommendations.note': 'Why you recommend it',
  'recommendations.note_hint': 'Shown with the video. At most 500 characters.',
  'recommendations.submit': 'Recommend',
  'recommendations.yours': 'Your recommendations',
  'recommendations.none': 'You do not recommend any video yet.',
  'recommendations.remove': 'Remove',
  'recommendations.remove_label': 'Remove the recommendation of “{title}”',
  'recommendations.by_others': 'Who recommends your videos',
  'recommendations.by_others_none': 'Nobody on another site recommends your videos yet.',
  'recommendations.col_who': 'Who',
  'recommendations.col_what': 'What',
  'recommendations.col_when': 'Since',
  'recommendations.channel_itself': 'Your channel',
  'recommendations.shelf_heading': 'Recommended by {name}',
  'recommendations.url_invalid': 'Enter the full address of a video page, like https://video.example/w/abc.',
  'recommendations.url_scheme': 'Only web addresses (http:// or https://) can be recommended.',
  'recommendations.url_too_long': 'This address is too long (at most 2048 characters).',
  'recommendations.note_too_long': 'At most 500 characters.',
  'recommendations.refused_address': 'This address leads to a private network. Only public sites can be recommended.',
  'recommendations.dns': 'No site answers to this name. Check the address.',
  'recommendations.unreachable': 'The site could not be reached. Check the address, or try again later.',
  'recommendations.timeout': 'The site took too long to answer. Try again later.',
  'recommendations.too_large': 'This page is too large to read (over 1 MB before its description ends).',
  'recommendations.too_many_redirects': 'This address redirects too many times.',
  'recommendations.http_status': 'The site answered with an error. Check that the address is right and the video is public.',
  'recommendations.not_video': 'This page does not describe a video (no ActivityPub, oEmbed or Open Graph video information).',
  'recommendations.duplicate': 'You already recommend this video.',
  'recommendations.limit': 'A channel can recommend at most 100 videos. Remove one first.',
} as const;

