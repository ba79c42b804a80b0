import type { ResponseOf } from '@/lib/api/types';

export type Asset = ResponseOf<'MediaController.list'>['items'][number];
export type AssetDetail = ResponseOf<'MediaController.get'>;
export type Folder = ResponseOf<'MediaController.folders'>['items'][number];

export interface AssetQuery {
  q?: string | undefined;
  kind?: 'image' | 'video' | undefined;
  folderId?: string | undefined;
  status?: string | undefined;
}

export const mediaKeys = {
  all: () => ['get', '/api/v1/media/assets'] as const,
  list: (q: AssetQuery) => ['get', '/api/v1/media/assets', q] as const,
  one: (id: string) => ['get', '/api/v1/media/assets/{id}', { id }] as const,
  folders: () => ['get', '/api/v1/media/folders', {}] as const,
};
