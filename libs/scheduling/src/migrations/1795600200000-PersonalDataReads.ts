import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log of reads of personal data (docs/security.md, "Audit log"): append-only. A
 * trigger refuses every UPDATE, DELETE and TRUNCATE, whoever asks (the services' own role
 * included), and the privileges to do so are revoked from everyone but the table's owner.
 * Hand-written SQL, no entity, like the front desk's tables.
 */
export class PersonalDataReads1795600200000 implements MigrationInterface {
  name = 'PersonalDataReads1795600200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scheduling.personal_data_read (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamptz NOT NULL,
        reader_role varchar(16) NOT NULL,
        reader_subject varchar(200),
        reader_agency varchar(16),
        operation varchar(64) NOT NULL,
        office_id uuid NOT NULL,
        appointment_id uuid,
        ticket_id uuid,
        CONSTRAINT pk_personal_data_read PRIMARY KEY (id),
        CONSTRAINT ck_personal_data_read_record CHECK (num_nonnulls(appointment_id, ticket_id) = 1)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_personal_data_read_appointment ON scheduling.personal_data_read (appointment_id) WHERE appointment_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_personal_data_read_ticket ON scheduling.personal_data_read (ticket_id) WHERE ticket_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_personal_data_read_office ON scheduling.personal_data_read (office_id, at)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION scheduling.refuse_audit_change() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'scheduling.personal_data_read is append-only (% refused)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER personal_data_read_append_only
      BEFORE UPDATE OR DELETE ON scheduling.personal_data_read
      FOR EACH ROW EXECUTE FUNCTION scheduling.refuse_audit_change()`);
    await queryRunner.query(`
      CREATE TRIGGER personal_data_read_no_truncate
      BEFORE TRUNCATE ON scheduling.personal_data_read
      FOR EACH STATEMENT EXECUTE FUNCTION scheduling.refuse_audit_change()`);
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON scheduling.personal_data_read FROM PUBLIC`,
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'PersonalDataReads1795600200000 is not reversible: the audit log is kept; write a new migration',
    );
  }
}
