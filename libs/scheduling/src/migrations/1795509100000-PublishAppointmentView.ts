import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What scheduling publishes to the directory: the time active appointments occupy, with no
 * personal data, so a directory change can tell how many appointments it affects.
 */
export class PublishAppointmentView1795509100000 implements MigrationInterface {
  name = 'PublishAppointmentView1795509100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW scheduling.published_active_appointment AS
      SELECT id, office_id, agency_id, service_id, counter_id, staff_id, starts_at, ends_at, busy_until
      FROM scheduling.appointment
      WHERE status IN ('BOOKED', 'CHECKED_IN', 'CALLED', 'IN_SERVICE')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW IF EXISTS scheduling.published_active_appointment`);
  }
}
