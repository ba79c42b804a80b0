import { Global, Module } from '@nestjs/common';
import { MEDIA_ATTACHMENTS } from '../messages/media-attachments.port.js';
import { MessagesModule } from '../messages/messages.module.js';
import type { Config } from '../../platform/config/config.js';
import { CONFIG } from '../../platform/config/config.tokens.js';
import { createObjectStorage, OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import { MediaAttachments } from './media-attachments.service.js';
import { MediaDelivery } from './media-delivery.js';
import { DELIVERY_MEDIA } from '../publishing/delivery-media.port.js';
import { MediaForDelivery } from './media-for-delivery.js';
import { MediaFoldersRepository } from './media-folders.repository.js';
import { MediaIngest } from './media-ingest.service.js';
import { MediaLibrary } from './media-library.service.js';
import { MediaLinks } from './media-links.js';
import { MediaProcessing } from './media-processing.service.js';
import { MediaProgress } from './media-progress.js';
import { MediaUploadsRoute } from './media-uploads.route.js';
import { MediaController } from './media.controller.js';
import { MediaRepository } from './media.repository.js';

/**
 * Media: the library, resumable uploads, processing into renditions, signed downloads (decision 0015).
 * Global only so that messages can inject MEDIA_ATTACHMENTS without importing this module (which
 * imports MessagesModule): the port lives in messages, the implementation here. Publishing's
 * DELIVERY_MEDIA (the renditions and bytes a delivery sends) is provided the same way.
 */
@Global()
@Module({
  imports: [MessagesModule],
  controllers: [MediaController],
  providers: [
    { provide: OBJECT_STORAGE, inject: [CONFIG], useFactory: (config: Config) => createObjectStorage(config.storage) },
    MediaRepository,
    MediaFoldersRepository,
    MediaLinks,
    MediaLibrary,
    MediaIngest,
    MediaProcessing,
    MediaProgress,
    MediaDelivery,
    MediaUploadsRoute,
    MediaAttachments,
    { provide: MEDIA_ATTACHMENTS, useExisting: MediaAttachments },
    MediaForDelivery,
    { provide: DELIVERY_MEDIA, useExisting: MediaForDelivery },
  ],
  exports: [MediaLibrary, MEDIA_ATTACHMENTS, DELIVERY_MEDIA],
})
export class MediaModule {}
