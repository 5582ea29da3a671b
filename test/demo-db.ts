import type pg from "pg";
import { connect } from "@/lib/demo/scenarios";
import { applySchema, seedDemoData } from "@/lib/demo/seed";
import { createTestDatabase, type TestDatabase } from "./db";

/** A fresh database with the kundli schema, a 1 % seed and pgstattuple: where demo scenarios run. */
export async function createSeededDemoDatabase(prefix: string): Promise<{ db: TestDatabase; client: pg.Client }> {
  const db = await createTestDatabase(17, prefix);
  const client = await connect(db.url, "test");
  await applySchema(client);
  await seedDemoData(client, { scale: 0.01 });
  await client.query(`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
  return { db, client };
}
