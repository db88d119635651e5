// Structured JSON logs (pino, the logger fastify ships with).
import { pino } from 'pino';

export type Logger = pino.Logger;
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'qala' } });
}
