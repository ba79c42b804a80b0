import type { NotificationKind } from './notification-kinds.js';
import { escapeHtml, renderLine, type RenderedEmail, type TemplateLanguage } from './notification-templates.js';

const HEAD = {
  en: { subject: 'Guddu digest: {count} updates', all: 'All notifications' },
  hi: { subject: 'गुड्डू सारांश: {count} अपडेट', all: 'सभी सूचनाएँ' },
} as const;

/** The daily or weekly digest: one line per low-urgency notification, each linking into the console. */
export function renderDigest(lang: TemplateLanguage, items: { kind: NotificationKind; params: Record<string, string | number>; link: string }[], allLink: string): RenderedEmail {
  const head = HEAD[lang];
  const lines = items.map((i) => ({ ...renderLine(i.kind, lang, i.params), link: i.link }));
  const subject = head.subject.replace('{count}', new Intl.NumberFormat(lang === 'hi' ? 'hi-IN' : 'en-IN').format(items.length));
  const text = `${lines.map((l) => `• ${l.body}\n  ${l.link}`).join('\n')}\n\n${head.all}: ${allLink}\n`;
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif"><ul>
${lines.map((l) => `<li><a href="${escapeHtml(l.link)}">${escapeHtml(l.body)}</a></li>`).join('\n')}
</ul><p><a href="${escapeHtml(allLink)}">${head.all}</a></p></body></html>`;
  return { subject, text, html };
}
