import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../platform/config/config.tokens.js';
import type { Config } from '../../platform/config/config.js';
import { PLATFORM_RESOURCES, type PlatformResources } from '../../platform/platform.module.js';
import { SignedUrls } from '../../platform/storage/signed-urls.js';

/** Signed download links for an object: `/api/v1/media/files?token=<token>`, valid for the configured TTL. */
@Injectable()
export class MediaLinks {
  private readonly urls: SignedUrls;

  constructor(
    @Inject(PLATFORM_RESOURCES) res: PlatformResources,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.urls = new SignedUrls(res.secretKey);
  }

  linkTo(storageKey: string, mime: string): string {
    const { token } = this.urls.sign(`${storageKey} ${mime}`, this.config.media.urlTtlSeconds);
    return `/api/v1/media/files?token=${token}`;
  }

  /** The object and its type a token names, and the seconds it has left; undefined when invalid or expired. */
  resolve(token: string): { storageKey: string; mime: string } | undefined {
    const subject = this.urls.verify(token);
    if (!subject) return undefined;
    const [storageKey, mime] = subject.split(' ');
    return storageKey && mime ? { storageKey, mime } : undefined;
  }
}
