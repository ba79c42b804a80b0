import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { announce } from './logger.js';
import { frame, prettyDestination } from './pretty.js';

function prettyLogger(level: string) {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { log: pino({ level, base: { service: 'guddu' } }, prettyDestination(out)), text: () => text };
}

describe('readable logs on a terminal', () => {
  it('frames lines between rules, indented and otherwise untouched so they copy as they are', () => {
    const rule = '═'.repeat(78);
    expect(frame(['one', '', "curl -d '{}'"])).toBe([rule, '  one', '', "  curl -d '{}'", rule].join('\n'));
  });

  it('prints a line per entry, not JSON', () => {
    const { log, text } = prettyLogger('info');
    log.info({ port: 3000 }, 'Guddu is listening');
    log.info({ context: 'RouterExplorer' }, 'Mapped {/healthz, GET} route');
    expect(text()).toMatch(/INFO.*Guddu is listening/);
    expect(text()).toMatch(/INFO.*\[RouterExplorer\] Mapped \{\/healthz, GET\} route/);
    expect(text()).toContain('port: 3000');
    expect(text()).not.toContain('{"');
  });

  it('shows the first-run steps framed, even when the log level hides info', () => {
    const { log, text } = prettyLogger('silent');
    announce(log, 'First run: finish setup', ['curl … "token":"abc123"', 'then sign in'], { setupToken: 'abc123' });
    expect(text()).toContain('First run: finish setup');
    expect(text()).toContain('\n  curl … "token":"abc123"\n');
    expect(text()).toMatch(/═{78}[\s\S]*abc123[\s\S]*═{78}/);
    expect(text()).not.toContain('setupToken');
  });
});
