import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flags of possible abuse for staff and admins to review (docs/security.md, "Abuse"):
 * appointment trading (a citizen cancelling and rebooking again and again) and one client
 * booking for many identity numbers. `client_booking` remembers which client (an anonymous
 * caller's address, a citizen's sign-in) booked for which citizen key, for a day.
 */
export class AbuseFlags1795600300000 implements MigrationInterface {
  name = 'AbuseFlags1795600300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE scheduling.client_booking (
        id bigint GENERATED ALWAYS AS IDENTITY,
        client varchar(200) NOT NULL,
        citizen_key varchar(128) NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT pk_client_booking PRIMARY KEY (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_client_booking_client ON scheduling.client_booking (client, at)`,
    );
    await queryRunner.query(`
      CREATE TABLE scheduling.abuse_flag (
        id bigint GENERATED ALWAYS AS IDENTITY,
        kind varchar(24) NOT NULL CHECK (kind IN ('APPOINTMENT_TRADING', 'MANY_IDENTITIES')),
        subject varchar(200) NOT NULL,
        flag_day date NOT NULL,
        at timestamptz NOT NULL,
        count integer NOT NULL,
        window_minutes integer NOT NULL,
        CONSTRAINT pk_abuse_flag PRIMARY KEY (id),
        CONSTRAINT uq_abuse_flag_day UNIQUE (kind, subject, flag_day)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE scheduling.abuse_flag`);
    await queryRunner.query(`DROP TABLE scheduling.client_booking`);
  }
}
