import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { RunningSimulators } from '@guddu/simulators';
import { LOGGER, type Logger } from '../logging/logger.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../platform.module.js';
import { SMS_SENDER, type SmsMessage, type SmsSender, type SmsSent } from './sms-sender.js';
import { NoSmsSender, TwilioSmsSender } from './twilio-sms.sender.js';

/**
 * The SMS_SENDER the process uses: the configured provider (GUDDU_SMS_*); else, when the
 * sandbox runs, a loopback SMS simulator started on first use with its sandbox account (nothing
 * leaves the machine); else a sender that refuses.
 */
@Injectable()
export class PlatformSmsSender implements SmsSender, OnApplicationShutdown {
  private inner: Promise<SmsSender> | undefined;
  private sims: RunningSimulators | undefined;

  constructor(
    @Inject(PLATFORM_RESOURCES) private readonly res: PlatformResources,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  get available(): boolean {
    return this.res.config.sms !== undefined || this.res.config.sandbox;
  }

  /** The sandbox simulator's base URL once started (tests read its request log and ledger). */
  get sandbox(): RunningSimulators | undefined {
    return this.sims;
  }

  async send(m: SmsMessage): Promise<SmsSent> {
    this.inner ??= this.open();
    return (await this.inner).send(m);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sims?.close();
  }

  private async open(): Promise<SmsSender> {
    const c = this.res.config;
    if (c.sms) return new TwilioSmsSender(c.sms);
    if (!c.sandbox) return new NoSmsSender();
    const { startSimulators, SMS_SANDBOX } = await import('@guddu/simulators');
    this.sims = await startSimulators({ networks: [], services: ['sms'], host: '127.0.0.1' });
    this.log.info({ url: this.sims.urls.sms }, 'sms: sandbox provider started (messages stay on this machine)');
    return new TwilioSmsSender({ url: this.sims.urls.sms!, accountSid: SMS_SANDBOX.accountSid, authToken: SMS_SANDBOX.authToken, from: SMS_SANDBOX.from, timeoutMs: c.smsTimeoutMs });
  }
}

@Global()
@Module({
  providers: [PlatformSmsSender, { provide: SMS_SENDER, useExisting: PlatformSmsSender }],
  exports: [SMS_SENDER, PlatformSmsSender],
})
export class SmsModule {}
