import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` turns engine/db/schema.ts into SQL migrations; the engine applies them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './engine/db/schema.ts',
  out: './engine/db/migrations',
});
