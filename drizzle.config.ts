import { defineConfig } from 'drizzle-kit';

/**
 * `npm run db:generate` writes a migration into drizzle/ for any change to the table declarations
 * (the services' tables.ts files, gathered by src/workspace/db/schema.ts). The workspace
 * applies that folder at start (src/workspace/db/migrate.ts).
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/workspace/db/schema.ts',
  out: './drizzle',
});
