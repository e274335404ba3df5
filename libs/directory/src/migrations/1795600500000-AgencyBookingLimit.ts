import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency's limit of active bookings per citizen across all its services (issue 12), and
 * its publication to scheduling: `scheduling.book_appointment` and `book_joint_visit` read it
 * from `directory.published_agency` under the citizen's lock. Existing agencies get the
 * default, 3: a citizen keeps every booking they hold, and books more of one agency only
 * once below it. The view's new column comes last, so every existing reader keeps its columns.
 */
export class AgencyBookingLimit1795600500000 implements MigrationInterface {
  name = 'AgencyBookingLimit1795600500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "directory"."agency" ADD "max_active_bookings" integer NOT NULL DEFAULT \'3\'',
    );
    await queryRunner.query(
      'ALTER TABLE "directory"."agency" ADD CONSTRAINT "ck_agency_max_active_bookings" CHECK ("max_active_bookings" BETWEEN 1 AND 50)',
    );
    await queryRunner.query(`
      CREATE OR REPLACE VIEW directory.published_agency AS
      SELECT id AS agency_id, code, name, active, level::text AS level, max_active_bookings
      FROM directory.agency`);
  }

  /** A view cannot lose a column in place: dropped (without CASCADE) and recreated. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW directory.published_agency`);
    await queryRunner.query(`
      CREATE VIEW directory.published_agency AS
      SELECT id AS agency_id, code, name, active, level::text AS level FROM directory.agency`);
    await queryRunner.query(
      'ALTER TABLE "directory"."agency" DROP CONSTRAINT "ck_agency_max_active_bookings"',
    );
    await queryRunner.query('ALTER TABLE "directory"."agency" DROP COLUMN "max_active_bookings"');
  }
}
