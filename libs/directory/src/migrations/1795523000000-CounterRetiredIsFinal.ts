import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retiring a counter is final: its booked appointments were moved or flagged when it went,
 * and a desk brought back is a new counter. The service refuses it with a message; this
 * trigger is the database's word on it, for two admins changing one counter at once (one
 * retires it while the other saves a status read before). It raises a check violation named
 * like a constraint, so the service maps it to BAD_USER_INPUT on `status` as any other.
 */
export class CounterRetiredIsFinal1795523000000 implements MigrationInterface {
  name = 'CounterRetiredIsFinal1795523000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION directory.counter_retired_is_final() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'counter % is retired; retiring is final', OLD.id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_counter_retired_final',
                SCHEMA = 'directory', TABLE = 'counter', COLUMN = 'status';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tg_counter_retired_final
      BEFORE UPDATE OF status ON directory.counter
      FOR EACH ROW WHEN (OLD.status = 'RETIRED' AND NEW.status <> 'RETIRED')
      EXECUTE FUNCTION directory.counter_retired_is_final()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS tg_counter_retired_final ON directory.counter');
    await queryRunner.query('DROP FUNCTION IF EXISTS directory.counter_retired_is_final()');
  }
}
