import { AppError, badInput, ErrorCode } from '../../common/errors.js';

export const WebhookErrors = {
  badUrl: (message: string) => badInput('url', 'INVALID_WEBHOOK_URL', message),
  invalidId: (field = 'id') => badInput(field, 'INVALID_ID', 'This is not a webhook or delivery id.'),
  notFound: (what: 'webhook' | 'webhook delivery') => new AppError(ErrorCode.NOT_FOUND, `No ${what} has this id.`, 'NOT_FOUND'),
  notYours: (what: 'webhook' | 'webhook delivery') => new AppError(ErrorCode.FORBIDDEN, `This ${what} belongs to another organisation or supplier.`, 'OTHER_TENANT'),
  tooMany: (max: number) => new AppError(ErrorCode.CONFLICT, `An organisation or supplier has at most ${max} active webhooks; deactivate one first.`, 'TOO_MANY_WEBHOOKS', { max }),
  notDead: (status: string) => new AppError(ErrorCode.CONFLICT, `Only a dead-lettered delivery can be replayed; this one is ${status}.`, 'NOT_DEAD', { status }),
};
