// The management API's errors, shaped as the `apigateway` and `apigatewayv2` services shape
// theirs: a status, `x-amzn-ErrorType` naming the exception the AWS CLI and SDKs raise, and a
// JSON body `{"message": …}`.
import { ConflictError, NotFoundError, StoreUnavailableError } from '../store/config-store.js';
import { ModelValidationError } from '../model/validate.js';
import { OpenApiError } from '../openapi/errors.js';

export type AdminErrorType =
  | 'BadRequestException'
  | 'NotFoundException'
  | 'ConflictException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'
  | 'ServiceUnavailableException'
  | 'PayloadTooLargeException'
  | 'NotImplementedException'
  | 'InternalFailure'
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

const STATUS: Record<AdminErrorType, number> = {
  BadRequestException: 400,
  NotFoundException: 404,
  ConflictException: 409,
  TooManyRequestsException: 429,
  UnauthorizedException: 401,
  ServiceUnavailableException: 503,
  PayloadTooLargeException: 413,
  NotImplementedException: 501,
  InternalFailure: 500,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
};

export class AdminError extends Error {
  readonly status: number;
  constructor(
    readonly type: AdminErrorType,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = type;
    this.status = status ?? STATUS[type];
  }
}

export const badRequest = (message: string): AdminError => new AdminError('BadRequestException', message);
export const notFound = (message: string): AdminError => new AdminError('NotFoundException', message);
export const conflict = (message: string): AdminError => new AdminError('ConflictException', message);

/** An AWS operation Gatehouse does not implement: a clear refusal, never a pretended success. */
export const notImplemented = (operation: string): AdminError =>
  new AdminError('NotImplementedException', `Gatehouse does not support the ${operation} operation`);

/** The error to answer for anything an operation throws; undefined for bugs (answered 500). */
export function asAdminError(error: unknown): AdminError | undefined {
  if (error instanceof AdminError) return error;
  if (error instanceof NotFoundError) return notFound(error.message);
  if (error instanceof ConflictError) return conflict(error.message);
  if (error instanceof StoreUnavailableError) {
    return new AdminError(
      'ServiceUnavailableException',
      'The configuration store is unavailable; this change was not made. Retry when it is back.',
    );
  }
  if (error instanceof ModelValidationError) return badRequest(error.problems.join('; '));
  if (error instanceof OpenApiError) return badRequest(error.message);
  return undefined;
}
