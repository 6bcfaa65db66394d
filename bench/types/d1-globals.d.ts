/**
 * The D1 types src/store/index-queries.ts names as globals (the Worker project's ambient types),
 * for the Node type-check project, which compiles it because the probe Worker
 * (bench/lib/probe-worker.ts) imports it. Type aliases only: no other Worker global comes along.
 */
import type {
  D1Database as D1DatabaseType,
  D1DatabaseSession as D1DatabaseSessionType,
  D1PreparedStatement as D1PreparedStatementType,
  D1Result as D1ResultType,
} from '@cloudflare/workers-types/experimental';

declare global {
  type D1Database = D1DatabaseType;
  type D1DatabaseSession = D1DatabaseSessionType;
  type D1PreparedStatement = D1PreparedStatementType;
  type D1Result<T = unknown> = D1ResultType<T>;
}
