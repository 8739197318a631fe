import { DataSource, type DataSourceOptions } from 'typeorm';
import { Client } from 'pg';
import { postgresConnection, type PostgresConnection } from '../../config/src/connections';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/**
 * The connection to use: the one given, or the environment's (DATABASE_URL[_FILE],
 * DATABASE_PASSWORD[_FILE], DATABASE_SSL_*) with `url` in place of DATABASE_URL.
 */
export function resolveConnection(db?: PostgresConnection | string): PostgresConnection {
  if (db && typeof db !== 'string') return db;
  return postgresConnection(db ? { ...process.env, DATABASE_URL: db, DATABASE_URL_FILE: undefined } : process.env);
}

/**
 * The one data source definition, for the API, the worker, the migration command and every
 * other command that reads the database: TLS (`ssl`) comes from the same place for all of them.
 */
export function dataSourceOptions(db?: PostgresConnection | string): DataSourceOptions {
  const { url, ssl } = resolveConnection(db);
  return {
    type: 'postgres',
    url,
    ssl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'typeorm_migrations',
    extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
  };
}

/** Creates the database named in `url` when it is missing (the local server's trust auth allows it). */
export async function ensureDatabase(db?: PostgresConnection | string): Promise<void> {
  const { url, ssl, describe } = resolveConnection(db);
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`DATABASE_URL ${describe} names no database`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), ssl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** Creates the database if needed and applies pending migrations; answers their names. */
export async function migrate(db?: PostgresConnection | string): Promise<string[]> {
  const connection = resolveConnection(db);
  await ensureDatabase(connection);
  const ds = new DataSource(dataSourceOptions(connection));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

/** For the TypeORM CLI (`typeorm migration:show -d dist/libs/persistence/src/data-source.js`). */
export default new DataSource(dataSourceOptions());
