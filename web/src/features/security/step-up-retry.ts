import { ApiError } from '../../lib/api/errors';

/**
 * Runs `call`; when the server answers `step_up_required`, asks for a fresh factor (`ask`
 * resolves true once one was shown) and makes the call once more. Any other failure, or a
 * declined prompt, is the caller's as it was.
 */
export async function retryAfterStepUp<T>(call: () => Promise<T>, ask: () => Promise<boolean>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'step_up_required')) throw err;
    if (!(await ask())) throw err;
    return call();
  }
}
