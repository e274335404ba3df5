import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's first table: requests per caller and window, shared by its replicas.
 *
 * UNLOGGED: the counts live for a window or two and are rewritten several times a second
 * under a rush; writing them to the WAL (and to standbys) would cost more than the counts
 * are worth. After a crash or a fail-over the table is empty: the limits start again from
 * zero for the current window, which is the fail-open behaviour anyway. `fillfactor` leaves
 * room on each page so the constant `hits` updates stay HOT (no index entry per update;
 * `hits` is in no index).
 */
export class RateLimit1796172076282 implements MigrationInterface {
  name = 'RateLimit1796172076282';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE UNLOGGED TABLE "gateway"."rate_limit" ("key" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, CONSTRAINT "pk_rate_limit" PRIMARY KEY ("key", "window_start")) WITH (fillfactor = 70)',
    );
    await queryRunner.query(
      'CREATE INDEX "ix_rate_limit_window_start" ON "gateway"."rate_limit"  ("window_start") ',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'RateLimit1796172076282 is not reversible; restore from backup or write a new migration',
    );
  }
}
