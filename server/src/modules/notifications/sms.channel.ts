import { Inject, Injectable, Optional } from '@nestjs/common';
import { SMS_SENDER, type SmsSender } from './sms.port.js';

/** SMS through whatever the installation bound to SMS_SENDER; nothing bound: not configured. */
@Injectable()
export class SmsChannel {
  constructor(@Optional() @Inject(SMS_SENDER) private readonly sender: SmsSender | null) {}

  get configured(): boolean {
    return this.sender !== null && this.sender !== undefined;
  }

  async send(to: string, body: string, idempotencyKey: string): Promise<{ ref: string }> {
    if (!this.sender) throw new Error('sms is not configured');
    const { id } = await this.sender.send({ to, body, idempotencyKey });
    return { ref: id };
  }
}
