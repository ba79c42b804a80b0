import { Injectable } from '@nestjs/common';
import type { NotificationChannel } from './notification-kinds.js';
import { EmailChannel } from './email.channel.js';
import { SmsChannel } from './sms.channel.js';

/** Which outside channels this installation can send by: push always (its keys are made on first use). */
@Injectable()
export class NotificationChannels {
  constructor(
    private readonly email: EmailChannel,
    private readonly sms: SmsChannel,
  ) {}

  configured(): Set<NotificationChannel> {
    const out = new Set<NotificationChannel>(['push']);
    if (this.email.configured) out.add('email');
    if (this.sms.configured) out.add('sms');
    return out;
  }
}
