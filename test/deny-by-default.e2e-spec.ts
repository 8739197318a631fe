import { Controller, Get, Module, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AppModule } from '../apps/api/src/app.module';
import { Roles } from '../apps/api/src/auth';
import { ApiExceptionFilter } from '../apps/api/src/common/api-exception.filter';
import { loadConfig } from '../libs/config/src';
import { caseBody } from './support/fixtures';
import { HARNESS_ENV, startHarness, type Harness } from './support/harness';
import { mintToken } from './support/tokens';

/** A route someone forgot to label, next to one that is labelled. */
@Controller('v1/unlabelled')
class UnlabelledController {
  @Get()
  forgot() {
    return { leaked: true };
  }

  @Get('labelled')
  @Roles('admin')
  labelled() {
    return { ok: true };
  }
}

describe('deny by default', () => {
  let app: INestApplication;
  beforeAll(async () => {
    const config = loadConfig({ ...process.env, ...HARNESS_ENV });
    @Module({ imports: [AppModule.forRoot(config)], controllers: [UnlabelledController] })
    class TestModule {}
    app = await NestFactory.create(TestModule, { logger: false });
    app.useGlobalFilters(new ApiExceptionFilter());
    await app.init();
  });
  afterAll(() => app?.close());

  it('refuses a route without @Roles to every role, and still asks for a token first', async () => {
    for (const role of ['applicant', 'officer', 'supervisor', 'admin']) {
      const token = mintToken({ sub: `${role}.x`, role, applicantId: 'A-1' });
      const res = await request(app.getHttpServer()).get('/v1/unlabelled').set('Authorization', `Bearer ${token}`).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    await request(app.getHttpServer()).get('/v1/unlabelled').expect(401);
    await request(app.getHttpServer()).get('/v1/unlabelled/labelled').set('Authorization', `Bearer ${mintToken({ sub: 'a', role: 'admin' })}`).expect(200);
  });
});

/** Everything the API logs while it works on a case holds no ID or mobile number. */
describe('personal data and the logs', () => {
  let h: Harness;
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (...a: unknown[]) => void lines.push(a.map(String).join(' ')),
    error: (...a: unknown[]) => void lines.push(a.map(String).join(' ')),
    warn: (...a: unknown[]) => void lines.push(a.map(String).join(' ')),
    debug: (...a: unknown[]) => void lines.push(a.map(String).join(' ')),
    verbose: (...a: unknown[]) => void lines.push(a.map(String).join(' ')),
  };
  beforeAll(async () => {
    h = await startHarness({}, { logger: capture });
  });
  afterAll(() => h?.close());

  it('never logs the passport or mobile number, whatever the request did', async () => {
    const passport = `E${Date.now() % 100_000_000}`;
    const mobile = '+8613812345678';
    const body = caseBody();
    body.applicant.principal.idNumber = passport;
    body.applicant.principal.mobile = mobile;
    const { body: created } = await h.http.post('/v1/cases').send(body).expect(201);
    await h.http.post(`/v1/cases/${created.id}/submit`).expect(422);
    await h.http.patch(`/v1/cases/${created.id}`).send({ applicant: { ...body.applicant, principal: { ...body.applicant.principal, idValidUntil: 'never' } } }).expect(400);
    await h.http.post('/v1/cases').send({ ...body, filingType: 'BOGUS' }).expect(400);
    await h.as({ role: 'applicant', applicantId: 'X' }).get(`/v1/cases/${created.id}`).expect(404);
    await h.http.post(`/v1/cases/${created.id}/withdraw`).send({ reason: `duplicate of ${passport.slice(0, 3)}` }).expect(200);
    expect(lines.length).toBeGreaterThan(0);
    const all = lines.join('\n');
    expect(all).not.toContain(passport);
    expect(all).not.toContain(mobile);
  });
});
