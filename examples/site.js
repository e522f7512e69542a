// The demo site's one script: the language switch. Pages are written once, in Serbian Latin;
// ?lang=sr-Cyrl shows them in Cyrillic (with Overa's transliteration) and ?lang=en swaps in
// the English of each data-en attribute. <overa-account> follows <html lang> by itself.
import { latinToCyrillic } from '/dist/overa.bundle.js';

const LANGS = ['sr-Latn', 'sr-Cyrl', 'en'];
const requested = new URLSearchParams(location.search).get('lang');
const lang = LANGS.includes(requested) ? requested : document.documentElement.lang || 'sr-Latn';
document.documentElement.lang = lang;

if (lang === 'en') {
  for (const el of document.querySelectorAll('[data-en]')) el.textContent = el.dataset.en;
  const title = document.querySelector('meta[name="title-en"]');
  if (title) document.title = title.content;
} else if (lang === 'sr-Cyrl') {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('[translate="no"], script, style, svg') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) node.data = latinToCyrillic(node.data);
  for (const el of document.querySelectorAll('[aria-label]:not([translate="no"])')) el.setAttribute('aria-label', latinToCyrillic(el.getAttribute('aria-label')));
  document.title = latinToCyrillic(document.title);
}

// Mark the current language and keep it on links within the site.
for (const a of document.querySelectorAll('.lang-switch a')) {
  if (a.getAttribute('lang') === lang) a.setAttribute('aria-current', 'true');
}
// The form's receipt links to My applications from inside its shadow root: its address too.
const withLang = (href) => {
  const url = new URL(href, location.href);
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
};
if (lang !== 'sr-Latn') {
  for (const a of document.querySelectorAll('a[href^="/"]')) a.href = withLang(a.href);
  for (const el of document.querySelectorAll('[applications-href]')) el.setAttribute('applications-href', withLang(el.getAttribute('applications-href')));
}

// Invite links: /account.html?invite=CODE opens the account element with the code filled in.
const invite = new URLSearchParams(location.search).get('invite');
if (invite) {
  for (const el of document.querySelectorAll('overa-account')) el.setAttribute('invite-code', invite);
}
// Recovery links: /account.html?recovery=CODE (from `overa accounts recover`) opens "I have a recovery code" filled in.
const recovery = new URLSearchParams(location.search).get('recovery');
if (recovery) {
  for (const el of document.querySelectorAll('overa-account')) el.setAttribute('recovery-code', recovery);
}

// The application page: ?form=ID picks the form, ?application=ID continues a draft or a returned request.
const params = new URLSearchParams(location.search);
for (const el of document.querySelectorAll('overa-application-form')) {
  if (params.get('form')) el.setAttribute('form-id', params.get('form'));
  if (params.get('application')) el.setAttribute('application-id', params.get('application'));
}

// The form builder page: ?start=ID opens a published form (from the public API) to build on.
const start = params.get('start');
if (start && /^[a-z0-9-]+$/.test(start)) {
  for (const el of document.querySelectorAll('overa-form-builder')) {
    Promise.all([customElements.whenDefined('overa-form-builder'), fetch(`/api/v1/forms/${start}`).then((r) => (r.ok ? r.json() : null))]).then(([, definition]) => {
      if (definition) el.definition = definition;
    });
  }
}
