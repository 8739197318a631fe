import { randomUUID } from 'node:crypto';
import { caseWorkflowId } from '../libs/contracts/src';
import { startHarness, type Harness } from './support/harness';

/** What the API does when the case workflow cannot answer: it says so, and lets go. */
describe('a case workflow that does not answer', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ICP_UPDATE_TIMEOUT: '1s' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE after ICP_UPDATE_TIMEOUT instead of holding the request', async () => {
    // A case workflow on a task queue no worker polls: every update waits for ever.
    const id = randomUUID();
    const stuck = await h.temporal.workflow.start('caseWorkflow', {
      workflowId: caseWorkflowId(id),
      taskQueue: `icp-nobody-${randomUUID()}`,
      args: [{}],
    });
    try {
      const res = await h.http.post(`/v1/cases/${id}/assign`).send({ assignee: 'officer.zhang' }).expect(503);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      // The API itself still answers.
      await h.http.get('/health/live').expect(200);
    } finally {
      await stuck.terminate('test over');
    }
  });
});
