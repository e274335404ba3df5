import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extends two of the views published to scheduling (see PublishSchedulingViews): a
 * service's party rules, for visits that cover several people, and where an office is, for
 * joint visits that look for an office near the citizen. Columns are only added at the end,
 * so every existing reader keeps its columns, names and order (`CREATE OR REPLACE VIEW`
 * refuses anything else).
 */
export class PublishPartySizeAndLocation1795522900000 implements MigrationInterface {
  name = 'PublishPartySizeAndLocation1795522900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE VIEW directory.published_office AS
      SELECT id, name, time_zone, eve_closing_minute, active,
             municipality, latitude, longitude
      FROM directory.office`);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW directory.published_office_service AS
      SELECT os.office_id, s.id AS service_id, s.agency_id, s.code, s.name_sv, s.name_en,
             s.duration_minutes, s.buffer_after_minutes, s.slot_granularity_minutes,
             s.min_notice_minutes, s.horizon_days, s.needs_private_room, s.languages,
             s.max_active_bookings, s.active,
             s.per_person_minutes, s.max_party_size
      FROM directory.office_service os JOIN directory.service s ON s.id = os.service_id`);
  }

  /**
   * Back to the definitions of PublishSchedulingViews. A view cannot lose columns in place,
   * so each is dropped and recreated; without CASCADE, so that a view of another service
   * built on these stops the rollback instead of vanishing with it.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW directory.published_office_service`);
    await queryRunner.query(`
      CREATE VIEW directory.published_office_service AS
      SELECT os.office_id, s.id AS service_id, s.agency_id, s.code, s.name_sv, s.name_en,
             s.duration_minutes, s.buffer_after_minutes, s.slot_granularity_minutes,
             s.min_notice_minutes, s.horizon_days, s.needs_private_room, s.languages,
             s.max_active_bookings, s.active
      FROM directory.office_service os JOIN directory.service s ON s.id = os.service_id`);
    await queryRunner.query(`DROP VIEW directory.published_office`);
    await queryRunner.query(`
      CREATE VIEW directory.published_office AS
      SELECT id, name, time_zone, eve_closing_minute, active FROM directory.office`);
  }
}
