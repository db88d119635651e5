// The one place where errors become HTTP answers: { error: { code, message, details? } }. A request's validation
// problems are details { field, code, params?, message }, as the configuration's are (config/load.ts issueCode).
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { issueCode } from '../config/load.js';
import { AppError, httpStatus } from '../errors.js';

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(httpStatus(err.code)).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => ({
        field: `${err.validationContext ?? ''}${v.instancePath.replaceAll('/', '.')}`,
        ...issueCode(v.keyword, v.params),
        message: v.message,
      }));
      return reply.status(400).send({ error: { code: 'validation', message: 'the request is not valid', details } });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status === 413) return reply.status(413).send({ error: { code: 'payload_too_large', message: 'the request body is too large' } });
    if (status === 429) return reply.status(429).send({ error: { code: 'rate_limited', message: err.message } });
    if (status >= 400 && status < 500) return reply.status(status).send({ error: { code: 'validation', message: err.message } });
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
