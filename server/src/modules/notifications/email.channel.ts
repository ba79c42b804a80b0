import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per delivery: a send repeated after a crash carries the same id, so mail systems can tell. */
  messageId: string;
}

/** A refusal the server gave for good (5xx): retrying sends nothing new. */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  constructor(
    message: string,
    /** A mail server's refusal, of the recipient itself (5xx at RCPT TO: the address bounces) or of this message. */
    readonly bounce?: 'recipient' | 'message',
  ) {
    super(message);
  }
}

/**
 * Email through SMTP (GUDDU_SMTP_URL). Without it email is "not configured": nothing is planned
 * for it and the preferences API says so. A pooled transport: a fan-out to a thousand people
 * reuses a few connections instead of a handshake each.
 */
@Injectable()
export class EmailChannel implements OnModuleDestroy {
  private readonly transport: Transporter | undefined;
  readonly from: string;

  constructor(@Inject(CONFIG) config: Config) {
    this.from = config.notifications.mailFrom;
    const url = config.notifications.smtpUrl;
    // Pooled (in the URL's query: nodemailer reads transport options from it) unless the URL says otherwise.
    this.transport = url ? createTransport(pooled(url)) : undefined;
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  /** Resolves with the server's acceptance; a 5xx refusal is a PermanentSendError, anything else may be retried. */
  async send(mail: OutgoingEmail): Promise<{ ref: string }> {
    if (!this.transport) throw new PermanentSendError('email is not configured');
    try {
      const info = (await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId })) as { messageId: string };
      return { ref: info.messageId };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // nodemailer names the SMTP command that was refused; at RCPT TO it is the address, not the message.
      if (code !== undefined && code >= 500) throw new PermanentSendError(`the mail server refused it: ${(err as Error).message}`, (err as { command?: string }).command === 'RCPT TO' ? 'recipient' : 'message');
      throw err;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

function pooled(url: string): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries({ pool: 'true', maxConnections: '4', connectionTimeout: '15000', greetingTimeout: '15000', socketTimeout: '30000' })) {
    if (!u.searchParams.has(k)) u.searchParams.set(k, v);
  }
  return u.toString();
}
