import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { systemContext, type RequestContext } from '../../platform/context/request-context.js';
import { Transactor } from '../../platform/database/transactor.js';
import { describeImage, ImageInputError, renderImages } from '../../platform/imaging/image-renditions.js';
import { JobHandler } from '../../platform/jobs/job-handler.decorator.js';
import type { GudduJobs, JobContext } from '../../platform/jobs/jobs.types.js';
import { LOGGER, type Logger } from '../../platform/logging/logger.js';
import type { ObjectStorage } from '../../platform/storage/object-storage.js';
import { OBJECT_STORAGE } from '../../platform/storage/storage.factory.js';
import { probeVideo, VideoInputError, type VideoProbe } from '../../platform/video/ffprobe.js';
import { planTranscode, transcode } from '../../platform/video/transcode.js';
import { AuditService } from '../audit/audit.service.js';
import { mediaError } from './media.errors.js';
import { jobOptionsOf } from '../../platform/jobs/job-catalog.js';
import { MediaRepository, type AssetRow } from './media.repository.js';
import { assetView } from './media.views.js';
import { networkFit } from './network-limits.js';
import './media.jobs.js';

const TMP_PREFIX = 'guddu-media-';

class Cancelled extends Error {}

/**
 * The processing job: an asset's original in, its renditions out. Outputs are written to a
 * private temporary directory and become renditions only once complete (stored atomically, then
 * recorded), so a crash mid-transcode leaves nothing half made; the retried job starts over and
 * first removes what a killed run left in the temporary directory.
 */
@Injectable()
export class MediaProcessing {
  constructor(
    private readonly repo: MediaRepository,
    private readonly tx: Transactor,
    private readonly audit: AuditService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async cancel(ctx: RequestContext, id: string) {
    const asset = await this.repo.find(id);
    if (!asset) throw mediaError('asset_not_found', 'No such asset');
    if (asset.status !== 'processing') throw mediaError('not_cancellable', `The asset is ${asset.status}, not processing`);
    await this.repo.setStatus(id, 'cancelled', { stage: 'cancelled', failure: 'cancelled by a person' });
    await this.audit.record(ctx, { action: 'media.processing_cancelled', targetType: 'media_asset', targetId: id });
    return assetView({ ...asset, status: 'cancelled', stage: 'cancelled', failure: 'cancelled by a person' });
  }

  @JobHandler('media.process')
  async process(p: GudduJobs['media.process'], job: JobContext): Promise<void> {
    const scope = { orgId: p.orgId ?? '' };
    const asset = await this.tx.inTenant(scope, () => this.repo.find(p.assetId));
    if (!asset || asset.status !== 'processing') return; // deleted, cancelled, or already done
    await this.cleanLeftovers(asset.id);
    const dir = await mkdtemp(join(tmpdir(), `${TMP_PREFIX}${asset.id}-`));
    try {
      await this.stage(asset, 'downloading', 1);
      const input = await this.storage.localFile(asset.storage_key, join(dir, 'original'));
      if (asset.kind === 'image') await this.image(asset, input, dir);
      else await this.video(asset, input, dir);
      await this.tx.inTenant(scope, () => this.repo.setStatus(asset.id, 'ready', { stage: 'done', progress: 100, failure: null }));
      await this.tx.inTenant(scope, () => this.audit.record(systemContext('media.process', asset.org_id, p.correlationId), { action: 'media.asset_processed', targetType: 'media_asset', targetId: asset.id }));
    } catch (err) {
      if (err instanceof Cancelled) return;
      const human = err instanceof ImageInputError || err instanceof VideoInputError;
      const lastAttempt = job.attempt >= jobOptionsOf('media.process').attempts;
      if (!human && !lastAttempt) throw err; // a fault: the job is retried from the start
      const failure = human ? err.message : `processing failed: ${(err as Error).message.slice(0, 300)}`;
      this.log.warn({ assetId: asset.id, err }, 'media: processing failed');
      await this.tx.inTenant(scope, () => this.repo.setStatus(asset.id, 'failed', { stage: 'failed', failure }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async image(asset: AssetRow, input: string, dir: string): Promise<void> {
    await this.stage(asset, 'reading', 5);
    const facts = await describeImage(input);
    await this.inScope(asset, () => this.repo.setFacts(asset.id, { width: facts.width, height: facts.height, blurhash: facts.blurhash, dominantColor: facts.dominantColor }));
    await this.stage(asset, 'renditions', 20);
    const outputs = await renderImages(input, dir, { facts, focal: { x: asset.focal_x, y: asset.focal_y }, keepMetadata: asset.keep_metadata, credit: asset.credit, copyright: asset.copyright });
    await this.stage(asset, 'storing', 90);
    for (const o of outputs) await this.store(asset, o, null);
  }

  private async video(asset: AssetRow, input: string, dir: string): Promise<void> {
    await this.stage(asset, 'probing', 2);
    const probe = await probeVideo(input);
    await this.inScope(asset, () => this.repo.setFacts(asset.id, { width: probe.width, height: probe.height, durationMs: probe.durationMs, probe }));
    await this.stage(asset, 'transcoding', 5);
    const plan = planTranscode(input, dir, probe, { vertical: asset.want_vertical, focalX: asset.focal_x });
    const abort = new AbortController();
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    // Progress goes to the row at most once a second; the same write tells us about a cancel.
    const onProgress = (percent: number) => {
      if (Date.now() - lastWrite < 1000) return;
      lastWrite = Date.now();
      writing = writing.then(async () => {
        const still = await this.inScope(asset, async () => {
          await this.repo.setProgress(asset.id, 'transcoding', 5 + percent * 0.85);
          return (await this.repo.find(asset.id))?.status === 'processing';
        });
        if (!still) abort.abort();
      });
    };
    try {
      await transcode(plan, probe.durationMs, { signal: abort.signal, onProgress });
    } catch (err) {
      if (abort.signal.aborted) throw new Cancelled();
      throw err;
    }
    await writing;
    if (!(await this.stillWanted(asset))) throw new Cancelled();
    await this.stage(asset, 'storing', 92);
    for (const o of plan.outputs) await this.store(asset, o, o.mime === 'video/mp4' ? probe : null);
  }

  /** Stores one finished output, then records it: a rendition row always has its complete object. */
  private async store(asset: AssetRow, o: { name: string; path: string; mime: string; width: number; height: number }, probe: VideoProbe | null): Promise<void> {
    const bytes = (await stat(o.path)).size;
    if (bytes === 0) throw new Error(`rendition ${o.name} came out empty`);
    const key = `renditions/${asset.id}/${o.name}`;
    await this.storage.putFile(key, o.path, o.mime);
    const facts = { mime: o.mime, bytes, width: o.width, height: o.height, durationMs: probe?.durationMs ?? null, videoCodec: probe ? 'h264' : null, audioCodec: probe?.audioCodec ? 'aac' : null, fps: probe?.fps ?? null };
    await this.inScope(asset, () =>
      this.repo.upsertRendition({ assetId: asset.id, orgId: asset.org_id, name: o.name, mime: o.mime, width: o.width, height: o.height, bytes, durationMs: facts.durationMs, storageKey: key, networks: networkFit(facts) }),
    );
  }

  private async stage(asset: AssetRow, stage: string, progress: number): Promise<void> {
    if (!(await this.stillWanted(asset))) throw new Cancelled();
    await this.inScope(asset, () => this.repo.setProgress(asset.id, stage, progress));
  }

  private async stillWanted(asset: AssetRow): Promise<boolean> {
    return (await this.inScope(asset, () => this.repo.find(asset.id)))?.status === 'processing';
  }

  private inScope<T>(asset: AssetRow, fn: () => Promise<T>): Promise<T> {
    return this.tx.inTenant({ orgId: asset.org_id }, fn);
  }

  /** A run killed mid-transcode left its temporary directory behind: remove it before starting over. */
  private async cleanLeftovers(assetId: string): Promise<void> {
    const names = await readdir(tmpdir()).catch(() => [] as string[]);
    for (const n of names) if (n.startsWith(`${TMP_PREFIX}${assetId}-`)) await rm(join(tmpdir(), n), { recursive: true, force: true });
  }
}
