import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-only views the directory publishes as its contract with the scheduling service.
 * Scheduling reads these, never the tables, so the directory may change its tables as long
 * as the views keep their columns. Times of day are minutes after local midnight.
 */
export class PublishSchedulingViews1795510000000 implements MigrationInterface {
  name = 'PublishSchedulingViews1795510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW directory.published_agency AS
      SELECT id AS agency_id, code, name, active FROM directory.agency`);
    await queryRunner.query(`
      CREATE VIEW directory.published_office AS
      SELECT id, name, time_zone, eve_closing_minute, active FROM directory.office`);
    await queryRunner.query(`
      CREATE VIEW directory.published_office_service AS
      SELECT os.office_id, s.id AS service_id, s.agency_id, s.code, s.name_sv, s.name_en,
             s.duration_minutes, s.buffer_after_minutes, s.slot_granularity_minutes,
             s.min_notice_minutes, s.horizon_days, s.needs_private_room, s.languages,
             s.max_active_bookings, s.active
      FROM directory.office_service os JOIN directory.service s ON s.id = os.service_id`);
    await queryRunner.query(`
      CREATE VIEW directory.published_service AS
      SELECT id AS service_id, agency_id, code, name_sv, name_en, duration_minutes, active FROM directory.service`);
    await queryRunner.query(`
      CREATE VIEW directory.published_opening_hours AS
      SELECT office_id, weekday, start_minute, end_minute FROM directory.opening_hours`);
    await queryRunner.query(`
      CREATE VIEW directory.published_opening_exception AS
      SELECT office_id, date, start_minute, end_minute, note FROM directory.opening_exception`);
    await queryRunner.query(`
      CREATE VIEW directory.published_closure AS
      SELECT office_id, from_date, to_date, reason FROM directory.closure`);
    await queryRunner.query(`
      CREATE VIEW directory.published_counter AS
      SELECT id AS counter_id, office_id, name, private_room, accessible_desk, hearing_loop,
             status::text AS status
      FROM directory.counter`);
    await queryRunner.query(`
      CREATE VIEW directory.published_counter_allocation AS
      SELECT counter_id, office_id, agency_id, kind::text AS kind, weekday, date, start_minute,
             end_minute, valid_from, valid_to
      FROM directory.counter_allocation`);
    await queryRunner.query(`
      CREATE VIEW directory.published_staff AS
      SELECT so.office_id, st.id AS staff_id, st.name, st.subject, st.languages, st.active,
             COALESCE((SELECT array_agg(c.agency_id) FROM directory.staff_competence c
                        WHERE c.staff_id = st.id AND c.service_id IS NULL), '{}') AS agency_ids,
             COALESCE((SELECT array_agg(c.service_id) FROM directory.staff_competence c
                        WHERE c.staff_id = st.id AND c.service_id IS NOT NULL), '{}') AS service_ids
      FROM directory.staff_office so JOIN directory.staff st ON st.id = so.staff_id`);
    await queryRunner.query(`
      CREATE VIEW directory.published_staff_shift AS
      SELECT staff_id, office_id, weekday, start_minute, end_minute, valid_from, valid_to
      FROM directory.staff_shift`);
    await queryRunner.query(`
      CREATE VIEW directory.published_staff_absence AS
      SELECT staff_id, starts_at, ends_at FROM directory.staff_absence`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const view of [
      'published_staff_absence',
      'published_staff_shift',
      'published_staff',
      'published_counter_allocation',
      'published_counter',
      'published_closure',
      'published_opening_exception',
      'published_opening_hours',
      'published_service',
      'published_office_service',
      'published_office',
      'published_agency',
    ]) {
      await queryRunner.query(`DROP VIEW IF EXISTS directory.${view}`);
    }
  }
}
