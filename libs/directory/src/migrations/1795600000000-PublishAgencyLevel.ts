import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds an agency's level to the view published to scheduling (see PublishSchedulingViews):
 * the front desk gives a municipality's tickets the letter K (kommun). Added at the end, so
 * every existing reader keeps its columns.
 */
export class PublishAgencyLevel1795600000000 implements MigrationInterface {
  name = 'PublishAgencyLevel1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE VIEW directory.published_agency AS
      SELECT id AS agency_id, code, name, active, level::text AS level FROM directory.agency`);
  }

  /** A view cannot lose a column in place: dropped (without CASCADE) and recreated. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW directory.published_agency`);
    await queryRunner.query(`
      CREATE VIEW directory.published_agency AS
      SELECT id AS agency_id, code, name, active FROM directory.agency`);
  }
}
