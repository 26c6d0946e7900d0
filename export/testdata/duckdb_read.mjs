// Runs one SQL query with DuckDB (@duckdb/node-api, installed by .ci/run
// outside the repository; its folder in GISA_TEST_DUCKDB) and prints the
// rows as a JSON array of objects. Used by export's DuckDB round-trip test:
// DuckDB, not gisa, reads the exported files.
import { createRequire } from 'node:module';
import path from 'node:path';

const prefix = process.env.GISA_TEST_DUCKDB;
if (!prefix) {
  console.error('GISA_TEST_DUCKDB is not set');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(prefix), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

const sql = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const reader = await conn.runAndReadAll(sql);
process.stdout.write(JSON.stringify(reader.getRowObjectsJson()));
