import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { REQUEST_ID_HEADER } from '../../../../libs/contracts/src/request-id';

/** The HTTP request being answered (set by the access-log middleware for the rest of the request). */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

function withRequestId(headers: Headers): Headers {
  const id = requestContext.getStore()?.requestId;
  return id ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } : headers;
}

/**
 * The request id goes with every workflow start, update and signal the API sends, as a Temporal
 * header the workflow's interceptors (workflows/src/request-id.interceptors.ts) read.
 */
export const requestIdClientInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
  startUpdate: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
  startUpdateWithStart: (input, next) =>
    next({ ...input, workflowStartHeaders: withRequestId(input.workflowStartHeaders), updateHeaders: withRequestId(input.updateHeaders) }),
  signal: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
  signalWithStart: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
};
