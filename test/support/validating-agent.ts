import type { Server } from 'node:http';
import request, { type Response, type Test } from 'supertest';
import { OpenApiValidator } from './openapi-validator';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * supertest against the API, where every response is also checked against the published OpenAPI
 * document (GET /docs-json of the same app): an undocumented status, body field or header fails
 * the request as an assertion would. Hooks `end`, which both `.expect(…)` and `await` go through.
 */
export async function validatingAgent(
  server: Server,
  /** An Authorization header that may read the document, for a service whose docs need a token (AUTH_PUBLIC_DOCS=false). */
  authorization?: string,
): Promise<{ http: ReturnType<typeof request>; validator: OpenApiValidator }> {
  const documentRequest = request(server).get('/docs-json');
  if (authorization) void documentRequest.set('Authorization', authorization);
  const documentResponse = await documentRequest.expect(200);
  const validator = new OpenApiValidator(documentResponse.body);
  const agent = request(server);
  const http = new Proxy(agent, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !(METHODS as readonly (string | symbol)[]).includes(property)) return value;
      return (url: string) => checked((value as (url: string) => Test).call(target, url), validator);
    },
  });
  return { http, validator };
}

function checked(test: Test, validator: OpenApiValidator): Test {
  const end = test.end.bind(test);
  test.end = (callback?: (error: unknown, res: Response) => void) =>
    end((error: unknown, res: Response) => {
      const problems = res ? validator.check(test.method, test.url, res) : [];
      if (problems.length > 0) {
        const contract = new Error(`The response breaks the OpenAPI document:\n  ${problems.join('\n  ')}`);
        error = error instanceof Error ? Object.assign(error, { message: `${error.message}\n${contract.message}` }) : contract;
      }
      callback?.(error, res);
    });
  return test;
}
