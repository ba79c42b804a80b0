import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api/errors';
import { retryAfterStepUp } from './step-up-retry';

const stepUp = new ApiError(403, 'step_up_required', 'fresh factor needed');

describe('retryAfterStepUp', () => {
  it('asks for a factor on step_up_required and makes the call again', async () => {
    let calls = 0;
    let asked = 0;
    const result = await retryAfterStepUp(
      async () => {
        calls += 1;
        if (calls === 1) throw stepUp;
        return 'done';
      },
      async () => {
        asked += 1;
        return true;
      },
    );
    expect(result).toBe('done');
    expect({ calls, asked }).toEqual({ calls: 2, asked: 1 });
  });

  it('gives back the original error when the prompt is declined, without calling again', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw stepUp;
    };
    await expect(retryAfterStepUp(failing, async () => false)).rejects.toBe(stepUp);
    expect(calls).toBe(1);
  });

  it('never prompts for other errors', async () => {
    const other = new ApiError(403, 'forbidden', 'no');
    let asked = false;
    await expect(
      retryAfterStepUp(
        async () => {
          throw other;
        },
        async () => (asked = true),
      ),
    ).rejects.toBe(other);
    expect(asked).toBe(false);
  });
});
