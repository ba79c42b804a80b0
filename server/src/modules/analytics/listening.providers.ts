import { ListeningController } from './listening.controller.js';
import { ListeningIngest } from './listening-ingest.service.js';
import { ListeningRepository } from './listening.repository.js';
import { ListeningScheduler } from './listening-scheduler.service.js';
import { ListeningService } from './listening.service.js';
import { SpikesService } from './spikes.service.js';

/** Listening's share of the analytics module, kept here so the module file stays a few lines for two helpers' merges. */
export const LISTENING_PROVIDERS = [ListeningRepository, ListeningIngest, ListeningService, SpikesService, ListeningScheduler];
export const LISTENING_CONTROLLERS = [ListeningController];
