import {
  AsyncLocalStorage,
  defaultPayloadConverter,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { Headers } from '@temporalio/common';
import { REQUEST_ID_HEADER } from '../../libs/contracts/src/request-id';

/**
 * Workflow interceptors (bundled with the workflow code, see WORKFLOW_INTERCEPTOR_MODULES): the
 * request id a start, update or signal carries in its headers is the current one while its handler
 * runs, is passed on to every activity scheduled meanwhile, and is added to the workflow's log lines.
 * Headers are not part of the commands, so this changes nothing a replay compares.
 */
const current = new AsyncLocalStorage<string>();

function requestIdOf(headers: Headers): string | undefined {
  const payload = headers[REQUEST_ID_HEADER];
  return payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined;
}

function within<T>(headers: Headers, fn: () => Promise<T>): Promise<T> {
  const id = requestIdOf(headers);
  return id ? current.run(id, fn) : fn();
}

function withRequestId<I extends ActivityInput | LocalActivityInput>(input: I): I {
  const id = current.getStore();
  return id ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } } : input;
}

const outbound: WorkflowOutboundCallsInterceptor = {
  scheduleActivity: (input, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) => next(withRequestId(input)),
  scheduleLocalActivity: (input, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleLocalActivity'>) => next(withRequestId(input)),
  getLogAttributes(input, next) {
    const id = current.getStore();
    return next(id ? { ...input, requestId: id } : input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute: (input, next) => within(input.headers, () => next(input)),
      handleUpdate: (input, next) => within(input.headers, () => next(input)),
      handleSignal: (input, next) => within(input.headers, () => next(input)),
    },
  ],
  outbound: [outbound],
});
