import { Injectable } from '@nestjs/common';
import { AssetUsageRepository, type AssetUser } from './asset-usage.repository.js';

/**
 * What the media library may know about messages: which ones attach an asset, and whether one
 * that is scheduled or publishing does (then the asset cannot be deleted). Messages owns the
 * tables, so the question is asked here rather than by joining them from media.
 */
@Injectable()
export class AssetUsageService {
  constructor(private readonly repo: AssetUsageRepository) {}

  usedBy(assetId: string): Promise<AssetUser[]> {
    return this.repo.users(assetId, 200);
  }

  usedByCommitted(assetId: string): Promise<boolean> {
    return this.repo.usedByCommitted(assetId);
  }
}
