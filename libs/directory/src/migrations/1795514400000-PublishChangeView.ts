import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change log, published to scheduling as a read-only view (its contract, like the other
 * `published_*` views): scheduling sweeps it for changes it has not handled yet, so a change
 * announced while no scheduling replica was listening is still rechecked.
 */
export class PublishChangeView1795514400000 implements MigrationInterface {
  name = 'PublishChangeView1795514400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE VIEW directory.published_change AS
      SELECT id, office_id, kind, scope, changed_at FROM directory.change_log`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP VIEW IF EXISTS directory.published_change`);
  }
}
