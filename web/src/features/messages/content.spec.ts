import { describe, expect, it } from 'vitest';
import { readContent } from './content';

describe('readContent', () => {
  it('reads the chosen accounts (targets) and drops what is not an id string', () => {
    const c = readContent({ bodies: { en: 'Hello' }, channels: ['x', 'nope'], targets: ['0b6f8d1e-7c1a-4f7e-9a53-1e2b3c4d5e6f', 42] });
    expect(c.targets).toEqual(['0b6f8d1e-7c1a-4f7e-9a53-1e2b3c4d5e6f']);
    expect(c.channels).toEqual(['x']);
  });

  it('gives no targets for a message written before targets existed', () => {
    expect(readContent({ bodies: { en: 'Hello' }, channels: ['x'] }).targets).toEqual([]);
  });
});
