import { Injectable } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway.js';

/**
 * What other modules may push to one person's open consoles (notifications: a new entry in the
 * notification centre). It goes to that person's sockets only, on every replica.
 */
@Injectable()
export class RealtimeUsers {
  constructor(private readonly gateway: RealtimeGateway) {}

  notify(userId: string, notification: unknown): void {
    this.gateway.notifyUser(userId, notification);
  }
}
