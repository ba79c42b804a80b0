import { Inject, Injectable, Optional } from '@nestjs/common';
import { PermanentSendError } from './email.channel.js';
import { SMS_SENDER, SmsError, type SmsSender } from './sms.port.js';

/** SMS through the platform's SMS_SENDER (decision 0026); no provider and no sandbox: not configured. */
@Injectable()
export class SmsChannel {
  constructor(@Optional() @Inject(SMS_SENDER) private readonly sender: SmsSender | null) {}

  get configured(): boolean {
    // The platform always binds a sender; it says whether a provider (or the sandbox) is there.
    return this.sender?.available === true;
  }

  async send(to: string, body: string, idempotencyKey: string): Promise<{ ref: string }> {
    if (!this.sender) throw new Error('sms is not configured');
    try {
      const { providerId } = await this.sender.send({ to, body, idempotencyKey });
      return { ref: providerId };
    } catch (err) {
      // A wrong number or a refused account will not get better by retrying.
      if (err instanceof SmsError && (err.kind === 'invalid_number' || err.kind === 'rejected')) throw new PermanentSendError(err.message);
      throw err;
    }
  }
}
