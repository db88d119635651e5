// Typed errors with a code; the one HTTP mapping (api/errors.ts) covers every code exhaustively.
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'rate_limited'
  | 'payload_too_large';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  static validation = (msg: string, details?: unknown) => new AppError('validation', msg, details);
  static unauthenticated = (msg = 'log in first') => new AppError('unauthenticated', msg);
  static forbidden = (what: string) => new AppError('forbidden', `not allowed: ${what}`);
  static notFound = (kind: string, id: string) => new AppError('not_found', `${kind} ${id} not found`);
  static conflict = (msg: string) => new AppError('conflict', msg);
  static invalidTransition = (msg: string) => new AppError('invalid_transition', msg);
}

export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}

export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'validation':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'invalid_transition':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'rate_limited':
      return 429;
    default:
      return assertUnreachable(code);
  }
}
