import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { OpenApiValidator } from '../../../../test/support/openapi-validator';
import { writeOpenApi } from './write-openapi';

const ROOT = resolve(__dirname, '../../../..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/** Runs a tool; answers its exit status and everything it printed. */
function run(command: string, args: string[]): { status: number; output: string } {
  try {
    const output = execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
    return { status: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { status: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The published document, written as `npm run openapi` writes it (no database, no Temporal). */
describe('the OpenAPI document', () => {
  let dir: string;
  let file: string;
  let document: OpenAPIObject;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-openapi-'));
    file = await writeOpenApi(join(dir, 'openapi.json'));
    document = JSON.parse(readFileSync(file, 'utf8'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes redocly lint (redocly.yaml) without an error or a warning', () => {
    const { status, output } = run(bin('redocly'), ['lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'stylish', file]);
    expect({ status, problems: output.split('\n').filter((line) => /\b(error|warning)\b/i.test(line) && !/Node\.js/.test(line)) }).toEqual({
      status: 0,
      problems: [],
    });
  }, 60_000);

  it('documents a response body for every success and every error of every operation', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const responses = Object.entries((operation as { responses: Record<string, { content?: object }> }).responses);
        const where = `${method.toUpperCase()} ${path}`;
        expect({ where, success: responses.some(([s]) => s.startsWith('2')) }).toEqual({ where, success: true });
        for (const [status, response] of responses) {
          // 204 and 304 have no body by definition.
          if (status !== '204' && status !== '304') expect({ where, status, content: Boolean(response.content) }).toEqual({ where, status, content: true });
        }
        for (const status of ['400', '415', '500']) expect({ where, status, documented: responses.some(([s]) => s === status) }).toEqual({ where, status, documented: true });
        const isPublic = (operation as { security?: unknown[] }).security?.length === 0;
        for (const status of isPublic ? [] : ['401', '403', '429']) {
          expect({ where, status, documented: responses.some(([s]) => s === status) }).toEqual({ where, status, documented: true });
        }
      }
    }
  });

  it('publishes no field as a bare object (what reflection makes of `string | null` without an explicit type)', () => {
    const bare: string[] = [];
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      for (const [field, property] of Object.entries((schema as { properties?: Record<string, Record<string, unknown>> }).properties ?? {})) {
        const shaped = ['properties', 'additionalProperties', 'allOf', 'oneOf', 'anyOf', '$ref', 'enum'].some((k) => k in property);
        if (property.type === 'object' && !shaped) bare.push(`${name}.${field}`);
      }
    }
    expect(bare).toEqual([]);
  });

  it('takes examples/case.json as the body of POST /v1/cases', () => {
    const validator = new OpenApiValidator(document);
    expect(validator.checkSchema('CreateCaseDto', JSON.parse(readFileSync(join(ROOT, 'examples/case.json'), 'utf8')))).toEqual([]);
    expect(validator.checkSchema('CreateCaseDto', { assignee: 7 })).not.toEqual([]);
  });

  it('generates a typed client (openapi-typescript + openapi-fetch) that type-checks a walk through the lifecycle', () => {
    const generated = run(bin('openapi-typescript'), [file, '-o', join(ROOT, 'test/client/generated/openapi.d.ts')]);
    expect(generated.status).toBe(0);
    const compiled = run(bin('tsc'), ['--noEmit', '-p', join(ROOT, 'test/client/tsconfig.json')]);
    expect(compiled).toEqual({ status: 0, output: '' });
  }, 120_000);
});
