import { spawn } from 'node:child_process';

export interface VideoProbe {
  /** Upright size: rotation metadata (phones) already applied. */
  width: number;
  height: number;
  durationMs: number;
  videoCodec: string;
  audioCodec: string | null;
  fps: number;
  rotation: number;
  formatName: string;
}

/** Bad input, in words for the officer; never retried. */
export class VideoInputError extends Error {
  override name = 'VideoInputError';
}

interface ProbeJson {
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; tags?: { rotate?: string }; side_data_list?: { rotation?: number }[] }[];
  format?: { duration?: string; format_name?: string };
}

/** Runs a program without a shell (arguments are never parsed by one) and collects its output. */
export function run(cmd: string, args: string[], opts: { signal?: AbortSignal; onStdout?: (chunk: string) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.signal ? { signal: opts.signal, killSignal: 'SIGKILL' as const } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      if (opts.onStdout) opts.onStdout(c);
      else stdout += c;
    });
    // Keep the tail only: ffmpeg can be chatty for hours.
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number);
  return n && d ? n / d : 0;
}

export async function probeVideo(path: string): Promise<VideoProbe> {
  const { code, stdout, stderr } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  if (code !== 0) throw new VideoInputError(humanFfmpegError(stderr) ?? 'the file is not a video we can read');
  const j = JSON.parse(stdout) as ProbeJson;
  const video = j.streams?.find((s) => s.codec_type === 'video');
  const audio = j.streams?.find((s) => s.codec_type === 'audio');
  if (!video?.width || !video.height) throw new VideoInputError('the file is not a video (no picture track)');
  const durationMs = Math.round(Number(j.format?.duration ?? 0) * 1000);
  if (!durationMs) throw new VideoInputError('the video has no duration: it is empty or cut short');
  const rotation = Number(video.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? video.tags?.rotate ?? 0);
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  return {
    width: quarterTurn ? video.height : video.width,
    height: quarterTurn ? video.width : video.height,
    durationMs,
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: audio?.codec_name ?? null,
    fps: rate(video.avg_frame_rate) || rate(video.r_frame_rate),
    rotation,
    formatName: j.format?.format_name ?? '',
  };
}

/** ffmpeg's last words, turned into a sentence a person understands; undefined when unknown. */
export function humanFfmpegError(stderr: string): string | undefined {
  if (/moov atom not found/i.test(stderr)) return 'the video file is incomplete or corrupt (it was probably cut off during copying)';
  if (/Invalid data found when processing input/i.test(stderr)) return 'the file is not a video we can read (it is corrupt or not a video)';
  const decoder = /Decoder \(codec (\w+)\) not found|Could not find codec parameters for stream \d+ \((Audio|Video)/i.exec(stderr);
  if (decoder) return decoder[2] ? `${decoder[2].toLowerCase()} codec not supported` : `codec ${decoder[1]} not supported`;
  if (/No space left on device/i.test(stderr)) return 'the server ran out of disk space while processing';
  return undefined;
}
