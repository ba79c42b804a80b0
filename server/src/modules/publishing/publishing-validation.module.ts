import { Module } from '@nestjs/common';
import { PublishingValidation } from './publishing-validation.service.js';
import { ProviderRegistry } from './providers/providers.registry.js';

/**
 * The network checks alone, so messages can import them without PublishingModule (which
 * imports MessagesModule). MEDIA_ATTACHMENTS comes from the media library's global module.
 */
@Module({
  providers: [ProviderRegistry, PublishingValidation],
  exports: [ProviderRegistry, PublishingValidation],
})
export class PublishingValidationModule {}
