import { join } from 'node:path';
import { humanFfmpegError, run, VideoInputError, type VideoProbe } from './ffprobe.js';

export interface VideoOutput {
  name: string;
  path: string;
  mime: string;
  width: number;
  height: number;
}

export interface TranscodePlan {
  args: string[];
  outputs: VideoOutput[];
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
const SPRITE_TILES = { cols: 5, rows: 2, width: 160 };

/**
 * One ffmpeg process, one decode, every output: H.264/AAC MP4 renditions (1080p and 720p by the
 * short side, never enlarged; 9:16 when asked, cropped around the focal point), a poster frame
 * and a thumbnail sprite. ffmpeg applies phone rotation itself while decoding.
 */
export function planTranscode(input: string, dir: string, p: VideoProbe, opts: { vertical: boolean; focalX: number }): TranscodePlan {
  const landscape = p.width >= p.height;
  const short = landscape ? p.height : p.width;
  const sizes = [1080, 720].filter((s) => s <= short);
  if (sizes.length === 0) sizes.push(even(short));
  const outputs: VideoOutput[] = [];
  const filters: string[] = [];
  const branches: string[] = [];
  const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-profile:v', 'high'];
  const audio = p.audioCodec ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'] : [];
  const mp4 = ['-movflags', '+faststart'];
  const perOutput: string[] = [];

  for (const s of sizes) {
    const [w, h] = landscape ? [even((p.width * s) / p.height), s] : [s, even((p.height * s) / p.width)];
    const label = `v${s}`;
    branches.push(label);
    filters.push(`[${label}in]scale=${w}:${h}:flags=bicubic[${label}]`);
    const path = join(dir, `video_${s}p.mp4`);
    perOutput.push('-map', `[${label}]`, ...audio, ...encode, ...mp4, path);
    outputs.push({ name: `video_${s}p`, path, mime: 'video/mp4', width: w, height: h });
  }
  if (opts.vertical) {
    // The tallest 9:16 window the frame allows, centred on the focal point.
    const cw = landscape ? even((p.height * 9) / 16) : p.width;
    const ch = landscape ? p.height : Math.min(p.height, even((p.width * 16) / 9));
    const x = Math.min(Math.max(Math.round(opts.focalX * p.width - cw / 2), 0), p.width - cw);
    const [w, h] = cw >= 1080 ? [1080, 1920] : [even(cw), even((cw * 16) / 9)];
    branches.push('vv');
    filters.push(`[vvin]crop=${cw}:${ch}:${x}:${Math.round((p.height - ch) / 2)},scale=${w}:${h}[vv]`);
    const path = join(dir, 'video_9_16.mp4');
    perOutput.push('-map', '[vv]', ...audio, ...encode, ...mp4, path);
    outputs.push({ name: 'video_9_16', path, mime: 'video/mp4', width: w, height: h });
  }
  // Poster: a frame a second in (or half way through a short clip), the size of the largest rendition.
  const posterAt = Math.min(1, p.durationMs / 2000);
  const top = outputs[0]!;
  branches.push('pv');
  filters.push(`[pvin]trim=start=${posterAt.toFixed(3)},setpts=PTS-STARTPTS,scale=${top.width}:${top.height}[pv]`);
  const poster = join(dir, 'poster.jpg');
  perOutput.push('-map', '[pv]', '-frames:v', '1', '-q:v', '3', poster);
  outputs.push({ name: 'poster', path: poster, mime: 'image/jpeg', width: top.width, height: top.height });
  // Sprite: ten evenly spaced thumbnails in a 5x2 grid, for scrubbing in the console.
  const n = SPRITE_TILES.cols * SPRITE_TILES.rows;
  const tw = SPRITE_TILES.width;
  const th = even((tw * p.height) / p.width);
  const fps = (n + 0.5) / Math.max(p.durationMs / 1000, 0.1);
  branches.push('sp');
  filters.push(`[spin]fps=${fps.toFixed(5)},scale=${tw}:${th},tile=${SPRITE_TILES.cols}x${SPRITE_TILES.rows}[sp]`);
  const sprite = join(dir, 'sprite.jpg');
  perOutput.push('-map', '[sp]', '-frames:v', '1', '-q:v', '5', sprite);
  outputs.push({ name: 'sprite', path: sprite, mime: 'image/jpeg', width: tw * SPRITE_TILES.cols, height: th * SPRITE_TILES.rows });

  const split = `[0:v:0]split=${branches.length}${branches.map((b) => `[${b}in]`).join('')}`;
  const graph = [split, ...filters].join(';');
  const args = ['-hide_banner', '-nostdin', '-y', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1', '-i', input, '-filter_complex', graph, ...perOutput];
  return { args, outputs };
}

/**
 * Runs the plan, reporting the percentage done from ffmpeg's `-progress` output. The abort
 * signal (a cancel, a shutdown) kills ffmpeg; its partial files are the caller's to discard.
 */
export async function transcode(plan: TranscodePlan, durationMs: number, opts: { signal?: AbortSignal; onProgress?: (percent: number) => void }): Promise<void> {
  let buffered = '';
  const { code, stderr } = await run('ffmpeg', plan.args, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onStdout: (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m && opts.onProgress) opts.onProgress(Math.min(99.9, (Number(m[1]) / 1000 / durationMs) * 100));
      }
    },
  }).catch((err: Error) => {
    if (err.name === 'AbortError') throw err;
    throw new Error(`ffmpeg could not be started: ${err.message} (is ffmpeg installed?)`, { cause: err });
  });
  if (code !== 0) {
    const human = humanFfmpegError(stderr);
    if (human) throw new VideoInputError(human);
    throw new Error(`ffmpeg exited with ${code}: ${stderr.slice(-500)}`);
  }
}
