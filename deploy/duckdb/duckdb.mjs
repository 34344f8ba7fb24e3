// Runs DuckDB SQL with the npm package @duckdb/node-api, for machines
// without the duckdb command: `node deploy/duckdb/duckdb.mjs "SQL"` does
// what `duckdb -c "SQL"` does for the statements of docs/scale.md: it
// prints the rows of the result as JSON lines (for COPY, the row count).
//
//   npm install @duckdb/node-api
//   node deploy/duckdb/duckdb.mjs "COPY (SELECT …) TO 'selection.parquet' (FORMAT parquet)"
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv.slice(2).join(' ');
if (!sql) {
  console.error('usage: node duckdb.mjs "SQL"');
  process.exit(2);
}
const db = await DuckDBInstance.create(':memory:');
const conn = await db.connect();
try {
  const reader = await conn.runAndReadAll(sql);
  for (const row of reader.getRowObjectsJson()) console.log(JSON.stringify(row));
} catch (e) {
  console.error(`duckdb: ${e.message}`);
  process.exit(1);
}
