/**
 * `npm run verify-projection [-- --repair] [-- --case <id> ...]`: compares every case's workflow
 * with its projection (row, events, documents, order claim) and prints the drift; `--repair`
 * rewrites the projection from the workflow. Exit code 1 when drift was found and not repaired.
 * Needs the service's worker running (it answers the workflows' queries).
 */
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { codecDataConverter } from '../../../libs/codec/src';
import { loadConfig } from '../../../libs/config/src';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source';
import { ProjectionVerifier } from '../../../libs/reconciliation/src';

export async function main(argv: string[]): Promise<number> {
  const repair = argv.includes('--repair');
  const caseIds = argv.flatMap((arg, i) => (arg === '--case' && argv[i + 1] ? [argv[i + 1]] : []));
  const config = loadConfig();
  const db = new DataSource(dataSourceOptions(config.database));
  await db.initialize();
  const connection = await Connection.connect({ address: config.temporal.address, tls: config.temporal.tls, apiKey: config.temporal.apiKey });
  try {
    // The service's payload codec: query results and histories are encrypted (ICP_CODEC_KEYS).
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: codecDataConverter(config.security.codecKeys) });
    const report = await new ProjectionVerifier(db, client).verify({ repair, caseIds: caseIds.length ? caseIds : undefined });
    for (const d of report.drift) console.log(`drift ${d.caseId} ${d.kind}: ${d.detail}${d.repaired ? ' [repaired]' : ''}`);
    const unrepaired = report.drift.filter((d) => !d.repaired).length;
    console.log(`verified ${report.cases} cases: ${report.drift.length} drift, ${report.drift.length - unrepaired} repaired`);
    return unrepaired > 0 ? 1 : 0;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(2);
    },
  );
}
