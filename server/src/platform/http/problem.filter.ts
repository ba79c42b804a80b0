import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LOGGER, type Logger } from '../logging/logger.js';
import { PROBLEM_CONTENT_TYPE, toAppError, toProblem } from '../errors/problem.js';

/** Every error leaves as RFC 9457 problem+json; only 5xx are logged with their cause. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), this.log);
  }
}

export function sendProblem(exception: unknown, req: FastifyRequest, reply: FastifyReply, log: Logger): void {
  const err = toAppError(exception);
  if (err.status >= 500) log.error({ err: err.cause ?? err, reqId: req.id, url: req.url }, 'request failed');
  if (reply.sent) return;
  for (const [name, value] of Object.entries(err.headers ?? {})) void reply.header(name, value);
  void reply
    .status(err.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblem(err, req.id, req.url.split('?')[0])));
}
