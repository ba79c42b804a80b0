import type { NotificationKind } from './notification-kinds.js';

/**
 * What each kind says, in English and Hindi, as whole sentences with named slots (Hindi word
 * order differs; nothing is assembled from fragments). Slots are filled from the notification's
 * params, which hold titles and reasons, never a message body. HTML output escapes every slot:
 * a title is text someone typed.
 */
export type TemplateLanguage = 'en' | 'hi';
type Params = Readonly<Record<string, string | number>>;

interface Phrase {
  subject: string;
  line: string;
}

const EN: Record<NotificationKind, Phrase> = {
  approval_requested: { subject: 'Waiting for your approval: {title}', line: '“{title}” is waiting for your approval at stage “{stage}”.' },
  approval_overdue: { subject: 'Approval overdue: {title}', line: 'Stage “{stage}” of “{title}” has been waiting longer than {slaHours} hours.' },
  changes_requested: { subject: 'Changes requested: {title}', line: 'An approver asked for changes to “{title}”.' },
  message_approved: { subject: 'Approved: {title}', line: '“{title}” is approved.' },
  message_published: { subject: 'Published: {title}', line: '“{title}” went out on {succeeded} accounts.' },
  message_partially_published: { subject: 'Partly published: {title}', line: '“{title}” went out on {succeeded} accounts and failed on {failed}.' },
  publish_failed: { subject: 'Publishing failed: {title}', line: '“{title}” could not be published on any of its {failed} accounts.' },
  delivery_failed: { subject: 'Not posted on {network}: {title}', line: '“{title}” was not posted on {network}: {reason}' },
  message_retracted: { subject: 'Taken down: {title}', line: '“{title}” was taken down: {reason}' },
  publishing_suspended: { subject: 'Publishing suspended', line: 'Publishing is suspended for {org} and everything below it: {reason}' },
  publishing_resumed: { subject: 'Publishing resumed', line: 'Publishing has resumed for {org}; {held} held messages wait for a decision.' },
  channel_needs_reauth: { subject: 'Reconnect {network}', line: 'The {network} account “{channel}” needs to be authorised again: {reason}' },
  spike_detected: { subject: 'Spike detected: {metric}', line: 'An unusual spike in {metric}: {summary}' },
  event_dead_lettered: { subject: 'An event was set aside', line: 'The event {event} failed for {consumer} and was set aside: {reason}' },
  job_failed: { subject: 'A background job failed', line: 'The job {job} failed after {attempts} attempts and was set aside: {reason}' },
  second_factors_reset: { subject: 'Your second factors were reset', line: 'An administrator of {org} reset your second factors and signed you out ({sessions} sessions). Sign in and set one up again; if you did not ask for this, tell your administrator.' },
};

const HI: Record<NotificationKind, Phrase> = {
  approval_requested: { subject: 'आपकी स्वीकृति की प्रतीक्षा: {title}', line: '“{title}” चरण “{stage}” पर आपकी स्वीकृति की प्रतीक्षा कर रहा है।' },
  approval_overdue: { subject: 'स्वीकृति में देरी: {title}', line: '“{title}” का चरण “{stage}” {slaHours} घंटे से अधिक समय से प्रतीक्षा में है।' },
  changes_requested: { subject: 'बदलाव का अनुरोध: {title}', line: 'एक अनुमोदक ने “{title}” में बदलाव का अनुरोध किया है।' },
  message_approved: { subject: 'स्वीकृत: {title}', line: '“{title}” स्वीकृत हो गया है।' },
  message_published: { subject: 'प्रकाशित: {title}', line: '“{title}” {succeeded} खातों पर प्रकाशित हुआ।' },
  message_partially_published: { subject: 'आंशिक रूप से प्रकाशित: {title}', line: '“{title}” {succeeded} खातों पर प्रकाशित हुआ और {failed} पर विफल रहा।' },
  publish_failed: { subject: 'प्रकाशन विफल: {title}', line: '“{title}” अपने {failed} खातों में से किसी पर भी प्रकाशित नहीं हो सका।' },
  delivery_failed: { subject: '{network} पर पोस्ट नहीं हुआ: {title}', line: '“{title}” {network} पर पोस्ट नहीं हुआ: {reason}' },
  message_retracted: { subject: 'हटाया गया: {title}', line: '“{title}” हटा दिया गया: {reason}' },
  publishing_suspended: { subject: 'प्रकाशन निलंबित', line: '{org} और उसके नीचे सब के लिए प्रकाशन निलंबित है: {reason}' },
  publishing_resumed: { subject: 'प्रकाशन फिर से शुरू', line: '{org} के लिए प्रकाशन फिर से शुरू हो गया है; {held} रोके गए संदेश निर्णय की प्रतीक्षा में हैं।' },
  channel_needs_reauth: { subject: '{network} फिर से जोड़ें', line: '{network} खाते “{channel}” को फिर से अधिकृत करना होगा: {reason}' },
  spike_detected: { subject: 'असामान्य उछाल: {metric}', line: '{metric} में असामान्य उछाल: {summary}' },
  event_dead_lettered: { subject: 'एक घटना अलग रखी गई', line: 'घटना {event} {consumer} के लिए विफल रही और अलग रख दी गई: {reason}' },
  job_failed: { subject: 'एक पृष्ठभूमि कार्य विफल हुआ', line: 'कार्य {job} {attempts} प्रयासों के बाद विफल रहा और अलग रख दिया गया: {reason}' },
  second_factors_reset: { subject: 'आपके दूसरे कारक रीसेट किए गए', line: '{org} के एक प्रशासक ने आपके दूसरे कारक रीसेट किए और आपको साइन आउट किया ({sessions} सत्र)। साइन इन करके फिर से एक कारक जोड़ें; यदि आपने यह नहीं माँगा था, तो अपने प्रशासक को बताएँ।' },
};

const CHROME = {
  en: { open: 'Open in Guddu', why: 'You receive this because of your notification settings in Guddu.', sms: 'Guddu: {subject}. {link}' },
  hi: { open: 'गुड्डू में खोलें', why: 'आपको यह गुड्डू में आपकी सूचना सेटिंग्स के कारण मिला है।', sms: 'गुड्डू: {subject}. {link}' },
} as const;

export function languageFor(locale: string | null | undefined): TemplateLanguage {
  return locale?.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

function fill(template: string, params: Params, escape: (s: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => escape(String(params[key] ?? '')));
}

const same = (s: string) => s;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export function renderEmail(kind: NotificationKind, lang: TemplateLanguage, params: Params, link: string): RenderedEmail {
  const phrase = (lang === 'hi' ? HI : EN)[kind];
  const chrome = CHROME[lang];
  const subject = fill(phrase.subject, params, same).replace(/[\r\n]+/g, ' ');
  const text = `${fill(phrase.line, params, same)}\n\n${chrome.open}: ${link}\n\n—\n${chrome.why}\n`;
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif">
<p>${fill(phrase.line, params, escapeHtml)}</p>
<p><a href="${escapeHtml(link)}">${chrome.open}</a></p>
<hr><p style="color:#555;font-size:12px">${chrome.why}</p>
</body></html>`;
  return { subject, text, html };
}

/** The in-app line and push body: the same sentence, plain. */
export function renderLine(kind: NotificationKind, lang: TemplateLanguage, params: Params): { title: string; body: string } {
  const phrase = (lang === 'hi' ? HI : EN)[kind];
  return { title: fill(phrase.subject, params, same), body: fill(phrase.line, params, same) };
}

/** Slots an SMS may carry: facts about the system, never what a person wrote. */
const SMS_SAFE = new Set(['network', 'failed', 'succeeded', 'held', 'metric']);

/**
 * SMS carries the kind and a link only: no title, no reason, no body (personal data kept to the
 * minimum; an SMS passes through carriers). Other slots are dropped with the colon before them.
 */
export function renderSms(kind: NotificationKind, lang: TemplateLanguage, params: Params, link: string): string {
  const template = (lang === 'hi' ? HI : EN)[kind].subject.replace(/:?\s*\{(\w+)\}/g, (whole, key: string) => (SMS_SAFE.has(key) ? whole : ''));
  const subject = fill(template, params, same).trim();
  return fill(CHROME[lang].sms, { subject, link }, same);
}
